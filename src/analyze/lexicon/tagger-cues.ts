/**
 * Words that often carry an attribution in PolNeAR's sense besides the rule
 * cues of attribution.ts: verbs of saying, judging, wanting and planning, and
 * the nouns of the things people say in ("statement", "interview"). A feature
 * of the quote tagger only (src/analyze/quotes.ts): the rules do not use them.
 */
export const TAGGER_CUE_WORDS = new Set(`
accept accepted accepting accepts accusation accusations accuse accused accuses accusing advise advised advises advising
aim aimed aiming aims announcement answer answered answering answers apologize apologized apologizes apologizing appear
appeared appearing appears applaud applauded applauding applauds assume assumed assumes assuming assure assured assures
assuring attack attacked attacking attacks attempt attempted attempting attempts belief beliefs blame blamed blames blaming
blast blasted blasting blasts brag bragged bragging brags call called calling calls challenge challenged challenges
challenging characterize characterized characterizes characterizing cite cited cites citing claims comment commented
commenting comments condemn condemned condemning condemns consider considered considering considers convince convinced
convinces convincing counter countered countering counters credit credited crediting criticise criticised criticises
criticising criticism criticize criticized criticizes criticizing debate debated debating decide decided decides deciding
decline declined declines declining defend defended defending defends demand demanded demanding demands demonstrate
demonstrated demonstrates demonstrating disagree disagreed disagrees disagreeing discuss discussed discusses discussing
dismiss dismissed dismisses dismissing dispute disputed disputes disputing doubt doubted doubting doubts downplay
downplayed downplaying downplays echo echoed echoes echoing editorial email emails encourage encouraged encourages
encouraging endorse endorsed endorses endorsing expect expected expecting expects favor favored favoring favors feel
feeling feels felt figured forget forgot guess guessed hail hailed hailing hails hate hated hates hear heard hears implied
implies imply implying inform informed informs intend intended intending intends interview interviews issued judged know
knew knowing knows label labeled labeling labels lament lamented lamenting laud lauded learn learned like liked likes love
loves memo message messages mock mocked mocking mocks op-ed oppose opposed opposes opposing persuade persuaded plan planned
planning plans poll polls praise praised praises praising prefer preferred prefers propose proposed proposes proposing
prove proved proves push pushed pushing question questioned questioning realize realized realizes recognize recognized
recognizes recommend recommended recommending recommends refuse refused refuses refusing regret regretted regrets reject
rejected rejecting rejects remarks remember remembered remembers remind reminded reminding reminds request requested
requesting requests retort retorted saw see seeing seek seeking seeks seem seemed seems seen sees signal signaled
signaling signals slam slammed slamming slams sought speak speaking speaks speech speeches spoke statement statements
support supported supporting supports suppose supposed survey surveys suspect suspected suspects swear swore talk talked
talking talks testimony thank thanked thanking threaten threatened threatening threatens tout touted touting transcript
tried tries try trying understand understands understood urge urged urges urging view views vow vowed vowing vows want
wanted wanting wants warning warnings welcome welcomed welcomes welcoming wonder wondered wondering wonders
`.trim().split(/\s+/));
