// SQL injection forms from which the fingerprint set is derived: the families of SQL injection
// (tautologies, UNION SELECT, stacked queries, comments cutting the statement, time-based and
// error-based probes) in every way they attach to the surrounding statement (numeric, '…' and "…"
// contexts, closing parentheses, bridging clauses) and with what may follow them (comments, a
// condition balancing the application's closing quote). Written from SQL grammar, not from a list.

import { FINGERPRINT_TOKENS, foldTokens } from './sqli.js';
import type { SqlContext } from './sqli-tokenizer.js';

export interface AttackForm {
  input: string;
  ctx: SqlContext;
}

/** Boolean conditions; Q is replaced by the context's quote (or ' in the numeric context). */
const CONDITIONS = [
  '1=1',
  '1=2',
  '1',
  'true',
  'x=x',
  '1<>2',
  '1!=2',
  '2>1',
  '1 like 1',
  '1 rlike 1',
  '1 between 1 and 2',
  '1 in (1,2)',
  '1 is not null',
  'Qa=Qa',
  'QaQ=QaQ',
  'QaQ like QaQ',
  '@@version',
  '@@version>5',
  'sleep(5)',
  'sleep(5)=0',
  'pg_sleep(5)',
  'benchmark(5000000,md5(1))',
  'exists(select 1)',
  'exists(select * from users)',
  '(select 1)=1',
  '1=(select 1)',
  '1=(select count(*) from users)',
  '1=(select count(*) from all_users t1,all_users t2)',
  '(select count(*) from users)>0',
  '(select * from (select(sleep(5)))a)',
  '(select 1 from (select count(*),concat(version(),floor(rand(0)*2))x from information_schema.tables group by x)a)',
  'row(1,2)>(select count(*),concat(0x71,floor(rand(0)*2))x from users group by x)',
  'elt(1=1,1)',
  'elt(1=1,sleep(5))',
  'make_set(1=1,1)',
  'if(1=1,sleep(5),0)',
  'ascii(substring(user(),1,1))>64',
  'ascii(substr((select database()),1,1))>64',
  'ord(mid(version(),1,1))>51',
  'length(database())>1',
  'substring(@@version,1,1)=5',
  'updatexml(1,concat(0x7e,version()),1)',
  'extractvalue(1,concat(0x7e,user()))',
  'exp(~(select * from (select user())a))',
  '1=convert(int,@@version)',
  '1=convert(int,(select top 1 name from sysobjects))',
  '1=cast(version() as int)',
  '1=cast((select version()) as numeric)',
  '1=dbms_pipe.receive_message(chr(65),5)',
  '1=utl_inaddr.get_host_name((select user from dual))',
  '1=ctxsys.drithsx.sn(1,(select user from dual))',
  '(select case when (1=1) then 1 else 0 end)=1',
  '(case when 1=1 then 1 else 0 end)=1',
  '1=(case when (1=1) then 1 else 1*(select 1 from information_schema.tables) end)',
  'gtid_subset(concat(0x71,version()),1)',
  'json_keys((select convert((select version()) using utf8)))',
  '(1=1)',
  '((1=1))',
  'not 1=2',
  '1=1*1',
  'QaQ=QaQ or Qa',
  'Q1Q',
  'char(65)=char(65)',
  'user()=user()',
  'database() like 0x25',
  'x in (select 1)',
  'load_file(0x2f6574632f706173737764)',
  'randomblob(500000000)',
  '1=like(QaQ,upper(hex(randomblob(500000000))))',
  'regexp_substring(repeat(right(char(1),0),500000000),null)',
  'x like Q%aQ',
  'x like Q%a%',
  'x=QaQ',
  'x=Qa',
  'x is null',
  'x>1',
  'x in (QaQ)',
  'x.y=1',
  '@x=1',
];

const LOGIC = [' or ', ' and ', ' || ', ' && ', ' xor ', ' or not ', ' and not ', ' or(', ' and(', '||', '&&', 'or ', 'and '];

/** Heads of a sub-SELECT: what follows `(select ` (the first token after SELECT shapes the fingerprint). */
const SELECT_HEADS = [
  '1',
  '1 from dual',
  'QaQ',
  'QaQ from dual where 1=1',
  'QaQ where 1=1',
  'x',
  'x where 1=1',
  'x from users',
  '*',
  '* from users',
  '* from (select(sleep(5)))a',
  '(case when (1=1) then 1 else 0 end)',
  'case when 1=1 then 1 else 0 end',
  'count(*) from users',
  'char(65)',
  'char(65)+char(66)',
  'concat(0x71,0x72)',
  'sleep(5)',
  '(sleep(5))',
  'null',
  '@@version',
  'user()',
  'top 1 name from sysobjects',
  '2*(if((select 1),1,0))',
  'like(QaQ,upper(hex(randomblob(5))))',
  'upper(xmltype(chr(60)))',
  '1 from generate_series(1,1,case when 1=1 then 1 else 0 end) limit 1',
  '1 where 1=1 and sleep(5)',
  'x where 1=1 waitfor delay Q0:0:5Q',
  '1=1',
  '(1)',
  'distinct 1',
  'all 1',
];

/** Function calls with the argument shapes injections use (number, column, string, variable, expression). */
const CALLS = ['sleep', 'pg_sleep', 'benchmark', 'char', 'ascii', 'version', 'user', 'concat', 'md5'].flatMap((f) =>
  ['5', '5.5', '5.x', 'x', 'QaQ', '@x', '5*2', '-5', '(5)', 'null', '', '5,x', '(select 1)'].map((a) => `${f}(${a})`),
);

/** Operands for arithmetic and bitwise injections (1' | x % y). */
const OPERANDS = ['x', 'x%y', 'x|y', 'x.y', 'x y', 'x+1', 'x(1)', '@x', '1 x'];

/** Values an injection can use where SQL expects an expression. */
const VALUES = [
  ...SELECT_HEADS.map((h) => `(select ${h})`),
  'sleep(5)',
  'pg_sleep(5)',
  'benchmark(5000000,md5(1))',
  'iif(1=1,1,1/0)',
  'if(1=1,1,0)',
  'elt(1=1,1)',
  'row(1,2)>(select count(*),concat(0x71,floor(rand(0)*2))x from users group by x)',
  'exp(~(select * from (select user())a))',
  'extractvalue(1,concat(0x7e,user()))',
  'updatexml(1,concat(0x7e,version()),1)',
  'cast((chr(113)||chr(113)) as text)',
  '(cast(chr(113) as text))',
  '(case when 1=1 then 1 else null end)',
  '(case when (1=1) then 1 else 0 end)',
  'case when 1=1 then 1 else 0 end',
  '(begin if (1=1) then dbms_lock.sleep(5); end if; end;)',
  'convert(int,@@version)',
  'char(65)',
  'chr(65)||chr(66)',
  '@@version',
  'user()',
  'version()',
  'database()',
  'ascii(substr(user(),1,1))',
  'dbms_pipe.receive_message(chr(65),5)',
  '0x717171',
  ...CALLS,
];

/** Operators through which an injected value joins the expression it lands in. */
const JOINERS = [
  '+',
  '||',
  '*',
  '-',
  '=',
  ' rlike ',
  ' like ',
  ' regexp ',
  ' in ',
  ',',
  ')',
  ' ',
  ' = ',
  ' + ',
  ' || ',
  ' and ',
  ' or ',
];

const UNIONS = [
  ' union select 1',
  ' union select 1,2,3',
  ' union all select 1,2,3',
  ' union all select null,null,null',
  ' union select null',
  ' union select @@version',
  ' union select user(),2',
  ' union select * from users',
  ' union select username,password from users',
  ' union select QaQ,2',
  ' union distinct select 1',
  ' union (select 1)',
  ' union(select 1,2)',
  ' union select 1 from dual',
  ' union all select char(65)',
  ' union select concat(0x71,0x72),2',
  ' union select table_name from information_schema.tables',
  ' union select 1,2 into outfile Q/tmp/xQ',
  ' union select load_file(Q/etc/passwdQ)',
  ' union/**/select/**/1,2',
  ' /*!union*/ /*!select*/ 1,2',
  ' /*!50000union*/ select 1',
  ' union select 1#',
  ' union all select 1,2,3--',
  ' union select top 1 name from sysobjects',
  ' union select @a:=1',
  ' union select version() --',
  ' union select (select 1)',
  ' union select case when 1=1 then 1 end',
  ...SELECT_HEADS.flatMap((h) => [` union select ${h}`, ` union all select ${h},2`, ` union select ${h},2`]),
  ' intersect select 1',
  ' except select 1',
];

const STATEMENTS = [
  ...SELECT_HEADS.map((h) => `select ${h}`),
  'select sleep(5)',
  'select pg_sleep(5)',
  'select count(*) from information_schema.columns a,information_schema.columns b',
  'select case when (1=1) then 1 else 1*(select 1 from information_schema.tables) end',
  'select if(1=1,sleep(5),0)',
  'select load_file(Q/etc/passwdQ)',
  'select 1 into outfile Q/tmp/xQ',
  'select like(QaQ,upper(hex(randomblob(5))))',
  '(select * from (select(sleep(5)))a)',
  'waitfor delay Q0:0:5Q',
  'waitfor time Q00:00Q',
  'if (1=1) waitfor delay Q0:0:5Q',
  'drop table users',
  'drop database test',
  'truncate table users',
  'delete from users',
  'delete from users where 1=1',
  'insert into users values(1,2)',
  'insert into users(name) values(QaQ)',
  'update users set password=QxQ',
  'update users set password=1 where 1=1',
  'create table x(a int)',
  'create user x identified by QyQ',
  'alter table users drop column password',
  'alter user root identified by QxQ',
  'grant all privileges on *.* to QxQ',
  'exec xp_cmdshell QdirQ',
  'exec master..xp_cmdshell Qping 127.0.0.1Q',
  'execute sp_executesql N1',
  'exec(@s)',
  'declare @s varchar(200) set @s=0x77 exec(@s)',
  'declare @x int',
  'begin dbms_lock.sleep(5); end',
  'begin if (1=1) then dbms_lock.sleep(5); else dbms_lock.sleep(0); end if; end;',
  'begin user_lock.sleep(5); end',
  'shutdown',
  'shutdown with nowait',
  'call sleep(5)',
  'do sleep(5)',
  'set @a=1',
  'create or replace function sleep(int) returns int as Q/lib/libc.so.6Q,QsleepQ language QcQ strict',
  'copy users to Q/tmp/xQ',
  'load data infile Q/etc/passwdQ into table x',
  'show tables',
  'rename table users to x',
  'handler users open',
  'kill 1',
];

const CLAUSES = [
  ' order by 1',
  ' order by 10',
  ' order by 1 desc',
  ' order by sleep(5)',
  ' order by (select 1)',
  ' group by 1',
  ' group by 1,2',
  ' order by 1,2',
  ' group by 1 having 1=1',
  ' group by x with rollup',
  ' group by concat(0x71,(select 1),floor(rand(0)*2)) having min(0)#',
  ' having 1=1',
  ' having count(*)>0',
  ' limit 1',
  ' limit 1,1',
  ' limit 1 offset 1',
  ' procedure analyse(extractvalue(1,concat(0x7e,version())),1)',
  ' into outfile Q/tmp/xQ',
  ' into dumpfile Q/tmp/xQ',
  ' waitfor delay Q0:0:5Q',
  ' collate utf8_bin',
  ' is null',
  ' between 1 and (select 1)',
];

/** What may follow the injected part: nothing, a comment, or a condition balancing the closing quote. */
const SUFFIXES = [
  '',
  '--',
  '-- -',
  '--+',
  '#',
  '/*',
  ';--',
  '; --',
  '\0',
  ' and Qa=Qa',
  ' and (Qa=Qa',
  ' or Qa=Q',
  ' and 1=1',
  ' and (1=1',
  ' and Q%Q=Q',
  ' and Qa like Qa',
  '+Q',
  '||Q',
];

/** Ways the payload is bridged onto the statement before the injected part. */
const BRIDGES = ['', ' where 1=1', ' as x where 1=1', ' in boolean mode)', ' and 1=1', ' or 1'];

function prefixes(ctx: SqlContext): string[] {
  if (ctx === '') return ['1', '-1', '1)', '(1', '1e0', '0x1', '1.5'];
  return [`1${ctx}`, `${ctx}`, `1${ctx})`, `x${ctx}`, `-1${ctx}`];
}

function quoteIn(text: string, ctx: SqlContext): string {
  return text.replaceAll('Q', ctx === '' ? "'" : ctx);
}

/** Injected parts: what follows the break-out from the original value. */
function bodies(ctx: SqlContext): string[] {
  const out: string[] = [];
  // A quote context ends at the quote, so a keyword may follow it without a space (1'or 1=1).
  const logic = ctx === '' ? LOGIC.filter((op) => op.startsWith(' ') || op.startsWith('|') || op.startsWith('&')) : LOGIC;
  for (const op of logic) for (const c of CONDITIONS) out.push(op.endsWith('(') ? `${op}${c})` : `${op}${c}`);
  for (const j of JOINERS) for (const v of VALUES) out.push(`${j}${v}`);
  for (const j of ['|', ' | ', '^', ' & ', '%', ' % ', '/', ' div ', ' mod ', '<<', '*', '+', '-', ' - ']) {
    for (const v of OPERANDS) out.push(`${j}${v}`);
  }
  for (const op of [' or ', ' and ']) for (const cl of CLAUSES) out.push(`${op}1${cl}`);
  out.push('', ...UNIONS, ...CLAUSES);
  for (const st of STATEMENTS) out.push(`;${st}`, `; ${st}`, `);${st}`, ` ${st}`);
  return out;
}

/** Attack forms, each with the context it is written for. */
export function* attackForms(): Generator<AttackForm> {
  for (const ctx of ['', "'", '"'] as SqlContext[]) {
    for (const pre of prefixes(ctx)) {
      for (const bridge of BRIDGES) {
        for (const body of bodies(ctx)) {
          const base = quoteIn(pre + bridge + body, ctx);
          yield { input: base, ctx };
          // Five folded tokens already: nothing appended can change the fingerprint.
          if (foldTokens(base, ctx).length === FINGERPRINT_TOKENS) continue;
          for (const suf of SUFFIXES) if (suf) yield { input: base + quoteIn(suf, ctx), ctx };
        }
      }
    }
    // Payloads that make up the whole value (e.g. a numeric parameter replaced by an expression).
    if (ctx === '') {
      for (const op of LOGIC) {
        if (!op.startsWith(' ')) continue;
        for (const c of CONDITIONS) {
          const base = quoteIn(`${op.trimStart()}${op.endsWith('(') ? `${c})` : c}`, ctx);
          for (const suf of ['', '--', '#', ' limit 1--']) yield { input: base + suf, ctx };
        }
      }
      const whole = [...CONDITIONS.filter((c) => !c.includes('Q')), ...VALUES, ...STATEMENTS, ...UNIONS.map((u) => u.trim())];
      for (const w of whole) for (const suf of ['', '--', '#', ';']) yield { input: quoteIn(`${w}${suf}`, ctx), ctx };
    }
  }
}
