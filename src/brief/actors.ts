/**
 * Actors across the story: article-local actors merged by their identity key
 * (so Zelensky and Zelenskyy, U.S. and United States are one), with every
 * alias, every role as stated (with evidence), the articles that mention them
 * and, for people, what they are reported to have said.
 */
import { isKnownPlace } from '../analyze/ner/lexicon.js';
import { actorKey } from '../analyze/actors.js';
import type { Actor } from '../analyze/types.js';
import { evidence, type StoryMaterial } from './material.js';
import type { BriefActor, BriefRole, Evidence } from './types.js';

export interface ActorIndex {
  actors: BriefActor[];
  /** Actor key for an article-local actor id: `keyOf(articleId, 'p1')`. */
  keyOf(articleId: string, actorId: string | null): string | null;
  byKey: Map<string, BriefActor>;
  /** Each role statement with the article it appears in, for title and name checks. */
  roleMentions: RoleMention[];
}

export interface RoleMention {
  actorKey: string;
  actorName: string;
  title: string;
  affiliation: string | null;
  evidence: Evidence;
}

export function buildActors(material: StoryMaterial): ActorIndex {
  const localKeys = new Map<string, string>();
  const merged = new Map<string, { actor: BriefActor; names: Map<string, number> }>();
  const roleMentions: RoleMention[] = [];
  const people = fullNamesBySurname(material);

  for (const entry of material.articles) {
    const { article, analysis } = entry;
    const localById = new Map(analysis.actors.map((a) => [a.id, a]));
    for (const local of analysis.actors) {
      const person = surnameOf(local, people);
      const key = person ?? local.key;
      localKeys.set(`${article.id}\u0000${local.id}`, key);
      let slot = merged.get(key);
      if (!slot) {
        slot = { actor: { name: local.name, type: person ? 'PER' : local.type, key, aliases: [], roles: [], articles: [], statements: [] }, names: new Map() };
        merged.set(key, slot);
      }
      const { actor, names } = slot;
      if (!actor.articles.includes(article.id)) actor.articles.push(article.id);
      for (const alias of [local.name, ...local.aliases]) names.set(alias, (names.get(alias) ?? 0) + (alias === local.name ? 2 : 1));
      for (const role of local.roles) {
        const affiliation = affiliationName(role.affiliation, localById);
        const ev = evidence(entry, role.span);
        addRole(actor.roles, role.title, affiliation, ev);
        roleMentions.push({ actorKey: key, actorName: local.name, title: role.title, affiliation, evidence: ev });
      }
    }
    for (const quote of analysis.quotes) {
      const actorId = quote.speaker?.actor;
      if (!actorId) continue;
      const key = localKeys.get(`${article.id}\u0000${actorId}`);
      const slot = key ? merged.get(key) : undefined;
      if (slot && slot.actor.type === 'PER') slot.actor.statements.push(evidence(entry, quote.span));
    }
  }

  for (const { actor, names } of merged.values()) {
    // The display name is the full form used most; aliases are every other form seen.
    const ranked = [...names].sort((a, b) => b[1] - a[1] || b[0].length - a[0].length || a[0].localeCompare(b[0]));
    const full = ranked.filter(([name]) => name.split(/\s+/).length >= 2);
    actor.name = (full[0] ?? ranked[0])?.[0] ?? actor.name;
    actor.aliases = [...names.keys()].filter((n) => n !== actor.name).sort();
  }
  const actors = [...merged.values()].map((m) => m.actor)
    .sort((a, b) => b.articles.length - a.articles.length || typeOrder(a.type) - typeOrder(b.type) || a.name.localeCompare(b.name));
  return {
    actors,
    keyOf: (articleId, actorId) => (actorId ? localKeys.get(`${articleId}\u0000${actorId}`) ?? null : null),
    byKey: new Map(actors.map((a) => [a.key, a])),
    roleMentions,
  };
}

/**
 * The story's people by surname, from the full names of its articles
 * ("Joe Biden" gives biden -> joe biden); a surname two people share is left out.
 */
function fullNamesBySurname(material: StoryMaterial): Map<string, string | null> {
  const people = new Map<string, string | null>();
  for (const { analysis } of material.articles) {
    for (const actor of analysis.actors) {
      if (actor.type !== 'PER' || !actor.key.includes(' ')) continue;
      const surname = actor.key.slice(actor.key.lastIndexOf(' ') + 1);
      const known = people.get(surname);
      people.set(surname, known === undefined || known === actor.key ? actor.key : null);
    }
  }
  return people;
}

/**
 * The key of the person an article names by surname alone, when another
 * article gives the full name: the story-wide form of what the analysis does
 * within one article. A lone word tagged as a place or organisation ("the
 * Biden administration") is taken for the person too, unless it is a known
 * place ("Jordan" beside "Michael Jordan").
 */
function surnameOf(local: Actor, people: Map<string, string | null>): string | null {
  if (local.key.includes(' ')) return null;
  if (local.type === 'PER') return people.get(local.key) ?? null;
  return isKnownPlace(local.name) ? null : people.get(actorKey(local.name, 'PER')) ?? null;
}

function affiliationName(affiliation: string | null, localById: Map<string, Actor>): string | null {
  if (!affiliation) return null;
  return localById.get(affiliation)?.name ?? affiliation;
}

function addRole(roles: BriefRole[], title: string, affiliation: string | null, ev: Evidence): void {
  const existing = roles.find((r) => r.title.toLowerCase() === title.toLowerCase() && (r.affiliation ?? '') === (affiliation ?? ''));
  if (existing) existing.evidence.push(ev);
  else roles.push({ title, affiliation, evidence: [ev] });
}

function typeOrder(type: BriefActor['type']): number {
  return type === 'PER' ? 0 : type === 'ORG' ? 1 : 2;
}
