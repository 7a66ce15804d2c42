// Benign text for the fingerprint derivation: values of the kinds that reach web parameters (names
// with apostrophes, addresses, e-mail addresses, punctuation-heavy values, prose using SQL's words,
// quoted speech). A fingerprint any of these produces, in any context, is not SQLi.

const WORDS = `john mary smith garcia lopez o'neil d'angelo l'hospitalet o'reilly mc'donald d'urgell l'eliana
  street avenue calle plaza road main north select order group union update delete insert drop create table join
  from where and or not like in between is null true false case when then else end as by into values set top
  limit having all any user password name email phone address city country the a an of to for with on at it
  this that yes no new old big small red green blue size color price item items product stock sale free best
  rock roll salt pepper black white sleep version char count sum max min date time year month day`.split(/\s+/);

const BENIGN_FIXED = [
  "it's",
  "don't stop",
  "I'm here",
  "rock 'n' roll",
  "rock 'n roll",
  '5\' 11"',
  '6\'2" tall',
  '12" pizza',
  'he said "hi"',
  'the "best" one',
  "the 'best' one",
  "o'neil & sons",
  "o'reilly & associates",
  'smith & wesson',
  'at&t',
  'q&a',
  'r&d dept.',
  '1 or 2',
  '1 and 2',
  '2 or 3 items',
  'either yes or no',
  'select your size',
  'order by phone',
  'drop me a line',
  'union station',
  'update: version 2.0 released',
  'delete this message',
  'insert coin',
  'create account',
  'group 1',
  'select all',
  'sort by price',
  'not bad at all',
  'like new',
  'in stock',
  'is it free?',
  'a-b',
  'x = y',
  'a=b&c=d',
  'f(x) = 2x + 1',
  '(555) 123-4567',
  '+1 (555) 123-4567',
  '1+1=2',
  '10 - 5 = 5',
  '3*4=12',
  '50% off!',
  '100% free (no strings)',
  '$1,200.50',
  '1/2 cup',
  '~user',
  '#hashtag',
  'c# developer',
  '--verbose',
  'a -- b',
  'well -- maybe',
  '@username',
  'email me @ home',
  'size (xl)',
  'baleares (illes)',
  'item(3)',
  'version 2 (beta)',
  'mozilla/5.0 (windows nt 10.0; win64; x64) applewebkit/537.36 (khtml, like gecko)',
  '{"a":1,"b":"c"}',
  '["x","y"]',
  'key=value;key2=value2',
  'if (a == b) { return; }',
  'SELECT a size',
  'http://example.com/a?b=c&d=e#top',
  '/usr/local/bin',
  'c:\\windows\\system32',
  'john.smith@example.com',
  '2024-01-05',
  '10:30',
  '2024-01-05t10:30:00z',
  '1,2,3',
  '1;2;3',
  "l'",
  "d'",
  "'quoted'",
  '"quoted"',
  "c'est la vie",
  "aujourd'hui",
  "ca n'alzina",
  "ametlla de mar, l'",
  "ronda o'donnell, 106, 12-e",
  'c/ leopoldo alas "clarin" 4, 6-b',
  'calle poligon industrial "el segre", 118',
  'pl. santa isabel s/n, 8-d',
  'trincha-32r1',
  '43751883h',
  '02048n3ad1',
  '7u6can*i2a04n',
  '*es8a24l',
  'c/ quintana 132, 13?h',
  "what's new?",
  "who's online",
  "you're welcome",
  "it's 5 o'clock",
  "that's all folks!",
  "isn't it?",
  "o'neil, john",
  "john o'neil",
  "o'brien-smith",
  'a "quote" and "another"',
  '"hello", she said',
  "'hello', she said",
  "'yes' or 'no'",
  '"yes" or "no"',
  "'a' and 'b'",
  'x or y',
  'this or that',
  'now and then',
  'time (utc)',
  'price: 10 - 20',
  'pages 1-10',
  '1.5 or 2.5',
  '-1',
  '+1',
  '1e5',
  '0x1f',
  '1-2-3',
  'a;b;c',
  'n/a',
  'p.s. thanks',
  'order #1234',
  '#1 best seller',
  'rating: 4/5',
  '5 stars!!!',
  ':-)',
  ';-)',
  '<3',
  'a < b',
  'a > b',
  'a <= b',
  "it's 1 or 2",
  "i'm 30 and she's 31",
  "we're open 9-5",
  "let's go",
  'select',
  'union',
  'or',
  'and',
  'update',
  'delete',
  'show',
  'kill',
  'declare',
  'begin',
  'update 2',
  'delete 1',
  'select 3',
  'show 10',
  'begin 2024',
  'print 5',
  '@john #happy',
  '@john;',
  '@john, @mary',
  '@john - hi',
  '@mary: thanks',
  '@home',
  'room 12 #3',
  'loti@ajuntament2-0.is',
  'nanni-prucnal@fighting-machines.gf',
  'name_1@mail-2.co.uk',
  'f(x)',
  'sleep(8 hours)',
  'count(3 items)',
  'max(2 per person)',
  'char(10 max)',
  'f(x, y)',
  '(a+b)*c',
  'avg(4, 5, 6)',
];

/** Benign values: fixed phrases plus word combinations with assorted punctuation. */
export function* benignInputs(): Generator<string> {
  yield* BENIGN_FIXED;
  const seps = [' ', ', ', ' - ', '-', '/', '.', ' & ', ' (', ') ', ': ', '; ', "'s ", " o'", " d'", ' #', ' 1 ', ' 2, ', ' @'];
  // A deterministic walk over word/separator combinations (no randomness: the set must be reproducible).
  let k = 0;
  for (let i = 0; i < WORDS.length; i++) {
    for (let j = 0; j < WORDS.length; j += 3) {
      const a = WORDS[i] as string;
      const b = WORDS[j] as string;
      const c = WORDS[(i * 7 + j * 13) % WORDS.length] as string;
      const s1 = seps[k % seps.length] as string;
      const s2 = seps[(k * 5 + 3) % seps.length] as string;
      k++;
      yield `${a}${s1}${b}`;
      yield `${a}${s1}${b}${s2}${c}`;
      yield `${a} ${b} ${c} ${k % 97}`;
      yield `${a} "${b}" ${c}`;
      yield `${a}@${b}${k % 10}-${k % 3}.${c}`;
    }
  }
  for (const fixed of BENIGN_FIXED) for (const w of ['john', '12', 'calle mayor 5', 'yes']) yield `${w} ${fixed}`;
  yield* sentences();
}

// Prose that uses SQL's words as English: search boxes and comments say "delete items from cart",
// "select a plan from the list", "rock and roll", "order by price".
const VERBS = `select update delete insert drop create alter show load call lock kill rename grant use set declare begin
  exec execute merge replace union truncate open close print return exit fetch get find sort`.split(/\s+/);
const GLUE = `from into in to by on with as at for and or where of the all then when if not like is between null case
  order by group by limit having table values set top distinct union select`.split(/\s+/);
const NOUNS = `items cart profile plan list account card reader file server me us it my your a an name address photo
  chair 2 10 1990 price size red users data table screen music files them this that here now`.split(/\s+/);

function* sentences(): Generator<string> {
  const pick = (list: readonly string[], i: number): string => list[i % list.length] as string;
  for (let i = 0; i < 6000; i++) {
    // Index arithmetic with coprime strides walks the combinations evenly and reproducibly.
    const v = pick(VERBS, i);
    const g1 = pick(GLUE, i * 7 + (i >> 5));
    const g2 = pick(GLUE, i * 11 + 3);
    const n1 = pick(NOUNS, i * 3 + (i >> 3));
    const n2 = pick(NOUNS, i * 13 + 5);
    const n3 = pick(NOUNS, i * 17 + 1);
    yield `${v} ${n1}`;
    yield `${v} ${g1} ${n1}`;
    yield `${v} ${n1} ${g1} ${n2}`;
    yield `${v} ${n1} ${n2} ${g1} ${n3}`;
    yield `${v} ${n1} ${g1} ${n2} ${g2} ${n3}`;
    yield `${n1} ${g1} ${n2}`;
    yield `${n1} ${g1} ${n2} ${g2} ${n3}`;
    yield `${n1} ${g1} ${g2} ${n2}`;
    // Quoted speech and titles: he said 'drop it', the "select" button.
    yield `${n1} said: '${v} ${n2}'`;
    yield `'${v} ${n1}' ${g1} ${n2}`;
    yield `${n1} "${v} ${n2}" ${g1}`;
  }
}
