import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../src/analyze/index.js';

const speakerOf = (text: string, words: RegExp) => {
  const analysis = analyze({ text, published: '2025-02-19' });
  const quote = analysis.quotes.find((q) => q.direct && words.test(text.slice(q.span[0], q.span[1])))!;
  assert.ok(quote, 'the quote is found');
  return analysis.actors.find((a) => a.id === quote.speaker?.actor)?.name ?? null;
};

test('a speaker span that names a person resolves to the person, not to an organisation in the span', () => {
  const text = '“This must be a permanent resolution to the conflict,” stated U.S. National Security Adviser Mike Waltz, who attended the talks alongside officials from the State Department.';
  assert.equal(speakerOf(text, /permanent resolution/), 'Mike Waltz');
});

test('platforms are organisations, so a pronoun speaker is not resolved to "Twitter"', () => {
  const text = 'European Union foreign policy chief Kaja Kallas warned against falling into traps. In a message to Rubio on X (formerly Twitter), she cautioned, “Let’s not walk into their traps,” emphasizing that peace must be achieved.';
  const analysis = analyze({ text, published: '2025-02-19' });
  const twitter = analysis.entities.find((e) => text.slice(e.span[0], e.span[1]) === 'Twitter');
  assert.equal(twitter?.type, 'ORG');
  assert.equal(speakerOf(text, /walk into their traps/), 'Kaja Kallas');
});

test('a name after a preposition in the speaker is not who speaks; "of" in a title is', () => {
  const spokesman = 'Bernie Sanders campaigned in Iowa. “We will win this state,” said a spokesman for Bernie Sanders.';
  assert.equal(speakerOf(spokesman, /win this state/), null);
  const titled = '“We will rebuild the embassies,” said U.S. Secretary of State Marco Rubio.';
  assert.equal(speakerOf(titled, /rebuild the embassies/), 'Marco Rubio');
});

test('a he/she speaker the references leave open is the person who spoke last, unless titled for the other pronoun', () => {
  const text = '“Paul Ryan tells it straight,” said Gov. John Kasich of Ohio, who once hired Paul Ryan for a campaign. He added, “Nobody else would say it.”';
  assert.equal(speakerOf(text, /Nobody else/), 'John Kasich');
  const titled = '“Paul Ryan tells it straight,” said Mrs. Nikki Haley of South Carolina, who once hired Paul Ryan and Mitt Romney for a campaign. He added, “Nobody else would say it.”';
  assert.equal(speakerOf(titled, /Nobody else/), null);
});

test('a name that only qualifies a title is not the speaker; the name after the title is', () => {
  assert.equal(speakerOf('Hillary Clinton spoke in Ohio. “The plan is ready,” said Clinton campaign spokesman Brian Fallon.', /plan is ready/), 'Brian Fallon');
  assert.equal(speakerOf('Donald Trump spoke in Ohio. “We will win,” said Trump’s spokeswoman Hope Hicks.', /We will win/), 'Hope Hicks');
  // Not across a verb: the first name is then the speaker.
  assert.equal(speakerOf('“It was voodoo economics,” said George H.W. Bush, calling Ronald Reagan’s plan a fantasy.', /voodoo/), 'George H.W. Bush');
});
