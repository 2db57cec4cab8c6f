import { test } from 'node:test';
import assert from 'node:assert/strict';
import { actorKey, resolveActors } from '../../src/analyze/actors.js';
import { findEntities } from '../../src/analyze/ner/index.js';
import type { Actor } from '../../src/analyze/types.js';
import { split } from '../fixtures/ner/split.js';

function analyse(text: string) {
  const sentences = split(text);
  return resolveActors(text, sentences, findEntities(text, sentences));
}

function actorNamed(actors: Actor[], name: string): Actor {
  const actor = actors.find((a) => a.name === name);
  assert.ok(actor, `no actor ${name} in ${actors.map((a) => a.name).join(', ')}`);
  return actor;
}

const article = `U.S. Secretary of State Marco Rubio met Russian Foreign Minister Sergei Lavrov in Riyadh on Tuesday. Russia's economic envoy, Kirill Dmitriev, also attended. Yuri Ushakov, a top foreign policy advisor to Russian President Vladimir Putin, said the talks went well.

Rubio said he was hopeful. The secretary added that Ukrainian President Volodymyr Zelenskyy was not invited. Former President Donald Trump spoke later.`;

test('spelling variants share a key', () => {
  assert.equal(actorKey('Zelensky', 'PER'), actorKey('Zelenskyy', 'PER'));
  assert.equal(actorKey('Zelenskiy', 'PER'), actorKey('Zelensky', 'PER'));
  assert.equal(actorKey('Sergei Lavrov', 'PER'), actorKey('Sergey Lavrov', 'PER'));
  assert.equal(actorKey('Recep Tayyip Erdoğan', 'PER'), actorKey('Recep Tayyip Erdogan', 'PER'));
  for (const name of ['U.S.', 'US', 'United States', 'USA', 'America', 'the United States']) assert.equal(actorKey(name, 'LOC'), 'united states', name);
  assert.equal(actorKey('Kiev', 'LOC'), actorKey('Kyiv', 'LOC'));
});

test('titles before names become roles with affiliations', () => {
  const { actors } = analyse(article);
  const rubio = actorNamed(actors, 'Marco Rubio');
  assert.deepEqual(rubio.roles.map((r) => [r.title, r.affiliation]), [['Secretary of State', 'United States']]);
  const zelensky = actorNamed(actors, 'Volodymyr Zelenskyy');
  assert.deepEqual(zelensky.roles.map((r) => [r.title, r.affiliation]), [['President', 'Ukraine']]);
  assert.deepEqual(actorNamed(actors, 'Donald Trump').roles.map((r) => r.title), ['Former President']);
});

test('possessive and appositive roles', () => {
  const { actors } = analyse(article);
  assert.deepEqual(actorNamed(actors, 'Kirill Dmitriev').roles.map((r) => [r.title, r.affiliation]), [['economic envoy', 'Russia']]);
  const putin = actorNamed(actors, 'Vladimir Putin');
  assert.deepEqual(putin.roles.map((r) => [r.title, r.affiliation]), [['President', 'Russia']]);
  const ushakov = actorNamed(actors, 'Yuri Ushakov');
  assert.deepEqual(ushakov.roles.map((r) => [r.title, r.affiliation]), [['foreign policy advisor', putin.id]]);
});

test('surnames, pronouns and "the secretary" resolve to the person', () => {
  const { actors, entities, references } = analyse(article);
  const rubio = actorNamed(actors, 'Marco Rubio');
  const surname = entities.find((e) => article.slice(e.span[0], e.span[1]) === 'Rubio');
  assert.equal(surname?.actor, rubio.id);
  assert.ok(rubio.aliases.includes('Rubio'));
  const he = references.find((r) => article.slice(r.span[0], r.span[1]) === 'he');
  assert.equal(he?.actor, rubio.id);
  const secretary = references.find((r) => article.slice(r.span[0], r.span[1]) === 'The secretary');
  assert.equal(secretary?.actor, rubio.id);
});

test('a pronoun with two people and no clear subject stays unresolved', () => {
  const text = 'After the meeting with Marco Rubio, Sergei Lavrov and Kirill Dmitriev left. Later he called.';
  const { references } = analyse(text);
  assert.equal(references.find((r) => text.slice(r.span[0], r.span[1]) === 'he'), undefined);
});

/** The name of the actor the last `pronoun` of `text` resolves to, or null. */
function pronounStandsFor(text: string, pronoun: string): string | null {
  const { actors, references } = analyse(text);
  const reference = references.filter((r) => text.slice(r.span[0], r.span[1]) === pronoun).at(-1);
  return actors.find((a) => a.id === reference?.actor)?.name ?? null;
}

test('a subject pronoun after a fronted phrase is not the person a preposition in it governs', () => {
  assert.equal(pronounStandsFor('European Union foreign policy chief Kaja Kallas warned against haste. In a message to Marco Rubio on Tuesday, she cautioned against the plan.', 'she'), 'Kaja Kallas');
  // Not when the person is the subject of a clause before the pronoun.
  assert.equal(pronounStandsFor('Kaja Kallas spoke first. After Marco Rubio arrived, he cautioned against the plan.', 'he'), 'Marco Rubio');
});

test('U.S. and United States are one actor; a capital is its government only as a political subject', () => {
  const text = 'The United States and Russia agreed to talk. U.S. officials flew to Moscow on Monday. Moscow rejected the plan, and Washington has demanded a ceasefire.';
  const { actors, entities } = analyse(text);
  const us = actors.filter((a) => a.key === 'united states');
  assert.equal(us.length, 1);
  assert.equal(us[0]!.name, 'United States');
  const moscow = entities.filter((e) => text.slice(e.span[0], e.span[1]) === 'Moscow');
  assert.equal(moscow.length, 2);
  const russia = actors.find((a) => a.key === 'russia')!;
  assert.notEqual(moscow[0]!.actor, russia.id, 'flew to Moscow is the city');
  assert.equal(moscow[1]!.actor, russia.id, 'Moscow rejected is the government');
  const washington = entities.find((e) => text.slice(e.span[0], e.span[1]) === 'Washington');
  assert.equal(washington?.actor, us[0]!.id);
});

test('every entity gets an actor id that exists; empty input gives nothing', () => {
  const { actors, entities } = analyse(article);
  const ids = new Set(actors.map((a) => a.id));
  for (const e of entities) assert.ok(e.actor && ids.has(e.actor));
  assert.deepEqual(resolveActors('', [], []), { actors: [], entities: [], references: [], pronouns: new Map() });
});

test('garbage never throws and references stay inside the text', () => {
  let seed = 11;
  const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const words = ['he', 'she', 'the', 'secretary', 'Rubio', 'Marco', 'Moscow', "'s", ',', '.', 'said', 'President', '"', 'U.S.', '\n\n', 'Zelenskyy', 'to'];
  for (let round = 0; round < 200; round += 1) {
    const text = Array.from({ length: Math.floor(random() * 40) }, () => words[Math.floor(random() * words.length)]).join(' ');
    const { references, entities } = analyse(text);
    for (const r of [...references, ...entities]) assert.ok(r.span[0] >= 0 && r.span[0] < r.span[1] && r.span[1] <= text.length);
  }
});

test('"former" before the affiliation stays with the title: a past office is not a current one', () => {
  const text = 'Moscow had faced isolation during former U.S. President Joe Biden’s administration.';
  const { actors } = analyse(text);
  const biden = actors.find((a) => a.name === 'Joe Biden')!;
  assert.equal(biden.roles[0]?.title, 'former President');
  assert.equal(biden.roles[0]?.affiliation, 'United States');
  assert.equal(text.slice(...biden.roles[0]!.span), 'former U.S. President');
});

test('a title that introduces the next name in a list is not an appositive of the name before it', () => {
  const { actors } = analyse('The delegation, comprising Rubio, US Middle East Envoy Steve Witkoff, and National Security Adviser Mike Waltz, met on Tuesday.');
  assert.deepEqual(actors.find((a) => a.name === 'Rubio')?.roles ?? [], []);
  assert.equal(actors.find((a) => a.name === 'Steve Witkoff')?.roles[0]?.title, 'Middle East Envoy');
});

test('a title the tagger reads as an organisation before a name is the person’s role, with its affiliation', () => {
  const text = '“This must be a permanent resolution,” stated U.S. National Security Adviser Mike Waltz, who attended the talks.';
  const { actors, entities } = analyse(text);
  const waltz = actorNamed(actors, 'Mike Waltz');
  assert.ok(waltz.roles.some((r) => r.title === 'National Security Adviser' && r.affiliation === 'United States'), JSON.stringify(waltz.roles));
  assert.ok(!entities.some((m) => m.type === 'ORG' && /Adviser/.test(text.slice(m.span[0], m.span[1]))), 'the title is not an organisation');
});

test('a role said without its affiliation is the same role as the one said with it', () => {
  for (const text of ['U.S. President Donald Trump spoke on Monday. On Tuesday, President Trump left for Florida.', 'President Donald Trump spoke on Monday. On Tuesday, U.S. President Trump left for Florida.']) {
    const trump = actorNamed(analyse(text).actors, 'Donald Trump');
    assert.deepEqual(trump.roles.map((r) => [r.title, r.affiliation]), [['President', 'United States']], text);
  }
});

test('a person named inside a quote is not who a pronoun outside it stands for', () => {
  assert.equal(pronounStandsFor('Mayor Sadiq Khan said he hoped to visit Chicago next year. “If Donald Trump wins, they will turn me away at the border,” he said.', 'he'), 'Sadiq Khan');
});

test('an honorific or a gendered title says which pronoun a person takes', () => {
  assert.equal(pronounStandsFor('Mrs. Hillary Clinton met Mr. Bernie Sanders in Iowa. Later he said the polls were wrong.', 'he'), 'Bernie Sanders');
  assert.equal(pronounStandsFor('Mr. Bernie Sanders met spokeswoman Hope Hicks in Iowa. Later she said the polls were wrong.', 'she'), 'Hope Hicks');
});

test('a pronoun in the subject position is its sentence subject for the pronouns after it', () => {
  // Without it, "he" has two people before it and no subject, and stays open.
  assert.equal(pronounStandsFor('Mayor Sadiq Khan spoke on Monday. He says Donald Trump and Ted Cruz are wrong about the city, and he will keep saying so.', 'he'), 'Sadiq Khan');
});
