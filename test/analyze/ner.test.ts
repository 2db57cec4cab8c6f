import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findEntities, loadTagger, tokenize } from '../../src/analyze/ner/index.js';
import { documentContext, gazetteerEntry, sentenceFeatures, tags, withPrefixes } from '../../src/analyze/ner/features.js';
import { constrainTransitions, viterbi } from '../../src/analyze/ner/model.js';
import { split } from '../fixtures/ner/split.js';
import { readModel } from '../../src/analyze/models.js';

/** `TYPE:text` for every mention, in order. */
function entities(text: string): string[] {
  return findEntities(text, split(text)).map((m) => `${m.type}:${text.slice(m.span[0], m.span[1])}`);
}

test('tokeniser keeps abbreviations, names with apostrophes and hyphens, numbers; splits possessives and dashes', () => {
  const text = 'U.S. Dr. O\u2019Neill met Jean-Marie Le Pen\u2019s aide in 2025 \u2014 paying $1,000.50 for \u201Ctalks\u201D. Russia\'s';
  const words = tokenize(text).map((t) => t.text);
  assert.deepEqual(words, ['U.S.', 'Dr.', 'O\u2019Neill', 'met', 'Jean-Marie', 'Le', 'Pen', '\u2019s', 'aide', 'in', '2025', '\u2014', 'paying', '$', '1,000.50', 'for', '\u201C', 'talks', '\u201D', '.', 'Russia', "'s"]);
  for (const token of tokenize(text)) assert.equal(text.slice(token.span[0], token.span[1]), token.text);
});

test('tokeniser splits plain ASCII text (read without the regular expression) by the same rules', () => {
  const text = "O'Neill's U.S.-led e.g. talks, 3.5-4 km/h 10:30 -- ... Trump's 'S Jean-Marie don't A.B Mr. J. Smith x'S.";
  assert.deepEqual(tokenize(text).map((t) => t.text), [
    "O'Neill", "'s", 'U.S.', '-', 'led', 'e.g.', 'talks', ',', '3.5-4', 'km', '/', 'h', '10:30', '--', '...', 'Trump', "'s", "'S",
    'Jean-Marie', "don't", 'A', '.', 'B', 'Mr.', 'J.', 'Smith', 'x', "'S", '.',
  ]);
  // A range cuts the tokens at its edges.
  assert.deepEqual(tokenize(text, 5, 30).map((t) => t.text), ['ll', "'s", 'U.S.', '-', 'led', 'e.g.', 'talks', ',']);
});

test('titles before a name are not part of the person', () => {
  assert.deepEqual(entities('U.S. Secretary of State Marco Rubio arrived on Monday.').filter((e) => e.startsWith('PER')), ['PER:Marco Rubio']);
  assert.ok(entities('Former President Donald Trump spoke.').includes('PER:Donald Trump'));
  const chief = entities('Last week, White House Chief of Staff Denis McDonough (then a senior aide) thanked Kennedy for his help with the evacuation of the embassy in Tunisia.');
  assert.ok(chief.includes('PER:Denis McDonough'), chief.join(', '));
});

test('datelines give a place and an agency', () => {
  const found = entities('WASHINGTON (Reuters) - The talks resumed on Tuesday, officials said.');
  assert.ok(found.includes('LOC:WASHINGTON'));
  assert.ok(found.includes('ORG:Reuters'));
});

test('alliances a demonym stands for are organisations, not places; countries stay places', () => {
  const found = entities('Rubio said the European Union would need a seat, and Moscow wants NATO to leave Poland.');
  assert.ok(!found.includes('LOC:European Union'), found.join(', '));
  assert.ok(!found.includes('LOC:NATO'), found.join(', '));
  assert.ok(found.includes('LOC:Poland'), found.join(', '));
});

test('institutions named after buildings are organisations; demonyms are not entities', () => {
  const found = entities('The Kremlin said Russian officials met White House aides while the State Department watched.');
  assert.ok(found.includes('ORG:Kremlin'));
  assert.ok(found.includes('ORG:White House'));
  assert.ok(found.includes('ORG:State Department'));
  assert.ok(!found.some((e) => e.endsWith(':Russian')));
});

test('a Title Case headline does not make every word a name', () => {
  const found = entities('Rubio Meets Lavrov In Riyadh For Ukraine Talks\n\nMarco Rubio met Sergei Lavrov in Riyadh to discuss Ukraine.');
  assert.ok(!found.some((e) => /:(Meets|In|For|Talks)$/.test(e)), found.join());
  assert.ok(found.includes('LOC:Riyadh'));
});

test('entities at the very start and end of the text, and unicode names', () => {
  const text = 'Volodymyr Zelenskyy met Recep Tayyip Erdoğan in Ankara';
  const found = entities(text);
  assert.equal(found[0], 'PER:Volodymyr Zelenskyy');
  assert.ok(found.includes('PER:Recep Tayyip Erdoğan'), found.join());
  assert.equal(found[found.length - 1], 'LOC:Ankara');
});

test('garbage never throws and spans stay inside the text and its sentences', () => {
  let seed = 7;
  const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const alphabet = ['A', 'b', ' ', '.', "'", '\u2019', '-', '\u2014', '\n', '\n\n', 'É', '\u0301', '\uD83D\uDE00', '\uD800', '(', ')', '"', 'U.S.', 'Mr.', '1', ',', 'Putin', 'the'];
  for (let round = 0; round < 200; round += 1) {
    let text = '';
    const length = Math.floor(random() * 120);
    for (let i = 0; i < length; i += 1) text += alphabet[Math.floor(random() * alphabet.length)];
    const sentences = split(text);
    const mentions = findEntities(text, sentences);
    for (const m of mentions) {
      assert.ok(m.span[0] >= 0 && m.span[0] < m.span[1] && m.span[1] <= text.length, JSON.stringify({ text, m }));
    }
    // Sentence spans that run past the text are clipped, not trusted.
    findEntities(text, [{ span: [0, text.length + 10], paragraph: 0 }, { span: [5, 3], paragraph: 0 }]);
  }
});

test('a first name that opens a sentence stays part of the person', () => {
  assert.equal(entities('Recep Tayyip Erdoğan said on Tuesday that Turkey would host the talks.')[0], 'PER:Recep Tayyip Erdoğan');
  const later = entities('Talks resumed.\n\nRecep Tayyip Erdoğan met Putin in Ankara.');
  assert.ok(later.includes('PER:Recep Tayyip Erdoğan'), later.join());
  // Behind a quote mark too.
  assert.ok(entities('\u201CRecep Tayyip Erdoğan is a friend,\u201D Putin said.').includes('PER:Recep Tayyip Erdoğan'));
});

test('an opening word that is not a name is not pulled into the person', () => {
  for (const [text, person] of [
    ['Yesterday Vladimir Putin said the talks would go on.', 'Vladimir Putin'],
    ['Meanwhile Donald Trump said so.', 'Donald Trump'],
    ['Ousted Tayyip Erdogan said so.', 'Tayyip Erdogan'],
    ['Before Scalia said that students might do better elsewhere, Trump said so.', 'Scalia'],
  ] as const) {
    assert.ok(entities(text).includes(`PER:${person}`), `${text} -> ${entities(text).join()}`);
  }
});

test('the tagger gives the same tags whether or not its per-document caches are warm', () => {
  const tagger = loadTagger();
  const document = [['Marco', 'Rubio', 'met', 'Sergei', 'Lavrov', 'in', 'Riyadh', '.'], ['Rubio', 'said', 'the', 'talks', 'went', 'well', '.']];
  const alone = document.map((sentence) => tagger.tagDocument([sentence], document)[0]);
  assert.deepEqual(tagger.tagDocument(document), alone);
  assert.deepEqual(tagger.tagDocument([[]]), [[]]);
});

test('the tagger scores exactly the features training sees (sentenceFeatures)', () => {
  const tagger = loadTagger();
  const document = [
    ['RUBIO', 'MEETS', 'LAVROV', 'IN', 'RIYADH'],
    ['U.S.', 'Secretary', 'of', 'State', 'Marco', 'Rubio', 'met', 'Sergei', 'Lavrov', 'in', 'Riyadh', '.'],
    ['Lavrov', 'said', 'the', 'talks', 'with', 'Washington', 'went', 'well', '.'],
    ['.'],
  ];
  const context = documentContext(document);
  const emissions = tagger.emissions(document);
  document.forEach((words, s) => {
    sentenceFeatures(words, context, tagger.gazetteer).forEach((hashes, i) => {
      const expected = tagger.featureScores(hashes);
      const actual = emissions[s]!.subarray(i * tags.length, (i + 1) * tags.length);
      expected.forEach((score, t) => assert.ok(Math.abs(score - actual[t]!) < 1e-9, `${words[i]} ${tags[t]}: ${score} vs ${actual[t]}`));
    });
  });
});

test('the tagger scores exactly what training sees, to the last bit, with forms that start sentences, repeat and change case, and a separate document', () => {
  const tagger = loadTagger();
  const document = [
    ['The', 'talks', 'in', 'RIYADH', 'ended', '.'],
    ['WHITE', 'HOUSE', 'SAYS', 'TALKS', 'WENT', 'WELL'],
    ['Officials', 'said', 'the', 'Talks', 'in', 'Riyadh', 'and', 'the', 'talks', 'in', 'Geneva', 'differ', ',', 'McDonald', 'said', '.'],
    ['Riyadh', 'said', 'nothing', '--', '5', '%', 'of', 'the', 'iPhone', 'sales', '.'],
  ];
  const sentences = [document[2]!, ['Geneva', 'hosts', 'Officials', 'of', 'the', 'UN', '.']];
  for (const [tagged, whole] of [[document, document], [sentences, document]] as const) {
    const context = documentContext(whole);
    const emissions = tagger.emissions(tagged, whole);
    tagged.forEach((words, s) => {
      sentenceFeatures(words, context, tagger.gazetteer).forEach((hashes, i) => {
        // Weights are multiples of one unit (see the next test), so the sums are exact in any order.
        assert.deepEqual([...emissions[s]!.subarray(i * tags.length, (i + 1) * tags.length)], [...tagger.featureScores(hashes)], words[i]);
      });
    });
  }
});

test('every NER weight is a multiple of one unit small enough that any token\'s sum of weights is exact in a double', () => {
  const file = readModel<{ scale: number; weights: string }>(new URL('../../models/ner.json.gz', import.meta.url));
  const bytes = Buffer.from(file.weights, 'base64');
  const weights = Array.from(new Int16Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)), (w) => Math.fround(w * file.scale)).filter((w) => w !== 0);
  const smallest = weights.reduce((min, w) => Math.min(min, Math.abs(w)), Infinity);
  const largest = weights.reduce((max, w) => Math.max(max, Math.abs(w)), 0);
  // A float32 at least `smallest` in size is a whole number of units of the float32 spacing at `smallest`.
  const unit = 2 ** (Math.floor(Math.log2(smallest)) - 23);
  for (const w of weights) assert.ok(Number.isInteger(w / unit), `${w}`);
  // 64 features of the largest weight per token and tag (a token has about 25) stay below 2^53 units.
  assert.ok((64 * largest) / unit < 2 ** 53);
});

test('a phrase\'s gazetteer entry, worked out once at load, is what the names and their prefixes say', () => {
  const gazetteer = withPrefixes(new Map([['new york', 1], ['new', 2], ['york', 4], ['new york city', 2], ['paris', 4], ['le pen', 1]]));
  const expected = (word: string): number => (gazetteer.names.has(word) ? gazetteer.names.get(word)! : 1 << 8) | (gazetteer.names.has(`${word} `) ? 1 << 9 : 0);
  for (const word of ['new', 'york', 'paris', 'le', 'pen', 'city', 'london', 'new york', 'new york city', 'le pen', 'new paris']) assert.equal(gazetteerEntry(gazetteer, word), expected(word), word);
});

test('Viterbi finds the path a full scan of every tag pair finds, ties going to the lower tag', () => {
  const size = tags.length + 1;
  let state = 5;
  // Small whole numbers, so that ties are common.
  const random = (): number => ((state = (state * 1103515245 + 12345) & 0x7fffffff) % 7) - 3;
  for (let round = 0; round < 300; round += 1) {
    const transitions = constrainTransitions(Array.from({ length: size * size }, random));
    const n = 1 + (round % 9);
    const emissions = Float64Array.from({ length: n * tags.length }, random);
    // Reference: every previous tag in ascending order, strict comparison.
    const score: number[][] = [tags.map((_, t) => transitions[t + 1]! + emissions[t]!)];
    const back: number[][] = [];
    for (let i = 1; i < n; i += 1) {
      score.push([]);
      back.push([]);
      for (let t = 0; t < tags.length; t += 1) {
        let best = -Infinity;
        let from = -1;
        for (let p = 0; p < tags.length; p += 1) {
          const s = score[i - 1]![p]! + transitions[(p + 1) * size + t + 1]!;
          if (s > best) { best = s; from = p; }
        }
        score[i]!.push(best + emissions[i * tags.length + t]!);
        back[i - 1]!.push(from);
      }
    }
    let last = 0;
    for (let t = 1; t < tags.length; t += 1) if (score[n - 1]![t]! + transitions[(t + 1) * size]! > score[n - 1]![last]! + transitions[(last + 1) * size]!) last = t;
    const path = [last];
    for (let i = n - 1; i > 0; i -= 1) path.unshift(back[i - 1]![path[0]!]!);
    assert.deepEqual(viterbi(emissions, n, transitions), path, `round ${round}`);
  }
});

test('regions named with a compass word are places, not organisations', () => {
  const found = entities('Russia has long sought the withdrawal of NATO forces from Eastern Europe and the Middle East.');
  assert.ok(found.includes('LOC:Eastern Europe'), found.join(', '));
  assert.ok(found.includes('LOC:Middle East'), found.join(', '));
});

test('a lone surname the tagger reads as a place is the person the document names in full; a known place is not', () => {
  const found = entities('Donald Trump skipped the debate. A grumpy Trump held his own event, while polls put Trump ahead. Michael Jordan flew to Jordan.');
  assert.ok(!found.some((e) => e === 'LOC:Trump' || e === 'ORG:Trump'), found.join(', '));
  assert.ok(found.includes('LOC:Jordan'), found.join(', '));
});

test('a title before a surname the document gives a person, or two such surnames joined by a hyphen, are people; so is a lone name before "administration"', () => {
  const found = entities('Secretary of State Marco Rubio met Sergei Lavrov. Both sides agreed to talk, with US Senator Rubio suggesting cooperation. They lifted limits imposed during the Biden administration.');
  assert.ok(found.includes('PER:Rubio'), found.join(', '));
  assert.ok(!found.some((e) => e.includes('Senator')), found.join(', '));
  assert.ok(found.includes('PER:Biden'), found.join(', '));
  const pair = entities('Vladimir Putin and Donald Trump may meet. Yuri Ushakov emphasized that setting a date for a potential Trump-Putin meeting remained difficult.');
  assert.ok(pair.includes('PER:Trump') && pair.includes('PER:Putin') && !pair.some((e) => e.includes('Trump-Putin')), pair.join(', '));
  // A place keeps its type before "administration".
  assert.ok(entities('Officials in the Texas administration disagreed.').includes('LOC:Texas'));
});

test('the host of a contraction and a compass word whose region follows a conjunction are not names', () => {
  const found = entities('In a message, she cautioned, “Let’s not walk into their traps.” Moscow demanded that NATO reduce its footprint in Central and Eastern Europe. That was rejected by the West.');
  assert.ok(!found.some((e) => /:(?:Let|Central)$/.test(e)), found.join(', '));
  assert.ok(found.includes('LOC:Eastern Europe') && found.includes('LOC:West'), found.join(', '));
});

test('faiths and peoples are not entities on their own', () => {
  const found = entities('Donald Trump called for a ban on Muslims entering the United States, and Muslim leaders in Manila objected.');
  assert.ok(!found.some((e) => /:Muslims?$/.test(e)), found.join(', '));
  assert.ok(found.includes('PER:Donald Trump') && found.includes('LOC:Manila'), found.join(', '));
});
