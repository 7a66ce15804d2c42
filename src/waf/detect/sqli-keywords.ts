// Word classification for the SQL tokenizer. Written from the SQL grammars of MySQL, SQL Server,
// PostgreSQL, Oracle and SQLite (what each dialect treats as a statement start, an operator, a type,
// a built-in function). The lists are deliberately broad: a word that is not listed is a plain
// identifier ('n'), which is also what most benign text tokenizes to.

import type { TokenType } from './sqli-tokenizer.js';

/** Words that start a statement or a clause that does real work. */
const EXPRESSION = `select insert update delete drop create alter truncate merge call exec execute show explain
  handler load grant revoke shutdown rename kill lock unlock optimize analyze vacuum attach detach pragma reindex
  restore backup dbcc bulk openrowset reconfigure`;

/** Set operators joining two SELECTs. */
const UNION = 'union except intersect minus';

/** Procedural / T-SQL / PL-SQL statement words. */
// Common English words such as open, close, print, return, exit stay identifiers: in text they
// are far more often prose than PL/SQL.
const PROCEDURAL = 'waitfor declare begin raiserror deallocate elsif cursor goto';

/** Words that act as binary or unary operators. */
const WORD_OPERATOR = 'like rlike regexp ilike similar glob is in between not div mod sounds escape overlaps';

/** Logic operators. */
const LOGIC = 'and or xor';

/** Values that behave like literals. */
const LITERAL = 'null true false unknown';

/** Clause and modifier keywords. */
const KEYWORD = `from where as on into case when then else end distinct distinctrow all any some top limit offset
  having join inner outer left right cross natural full using table tables database databases schema schemas column
  columns index key primary foreign references procedure function trigger view if exists values set default asc
  desc by group order outfile dumpfile infile lines terminated fields enclosed optionally starting nowait for share
  mode boolean language strict cascade constraint with recursive over partition rows row unique identity nocount
  apply pivot unpivot window filter within do elseif dual sysdummy1 rowcount nolock holdlock readpast tablock
  straight_join sql_calc_found_rows sql_no_cache sql_cache high_priority low_priority temporary commit rollback
  savepoint transaction tran`;

/** SQL data types (as used in CAST/CONVERT/DECLARE). */
const TYPE = `int integer bigint smallint tinyint mediumint varchar nvarchar varchar2 nvarchar2 char nchar character
  text ntext tinytext mediumtext longtext float double decimal numeric real date datetime datetime2 smalldatetime
  time timestamp binary varbinary blob tinyblob mediumblob longblob bool bit money smallmoney uniqueidentifier
  json jsonb clob nclob number interval serial bigserial oid regclass signed unsigned sql_variant image
  rowid urowid bytea inet cidr uuid`;

/** Built-in or well-known functions: classed 'f' when followed by '(' (else by the lists above or 'n'). */
const FUNCTION = `ascii char chr concat concat_ws substring substr mid left right length len char_length
  character_length lower upper lcase ucase trim ltrim rtrim replace reverse repeat space lpad rpad instr locate
  position strcmp hex unhex bin oct conv cast convert coalesce ifnull isnull nullif nvl nvl2 if iif count sum avg
  min max group_concat string_agg listagg sleep benchmark pg_sleep version database user current_user session_user
  system_user schema load_file updatexml extractvalue exp floor ceil ceiling rand random round abs md5 sha sha1 sha2
  encode decode compress uncompress elt field make_set export_set row exists now sysdate curdate current_date
  getdate datediff dateadd unix_timestamp from_unixtime ord quote bit_length octet_length xmltype extract db_name
  host_name suser_name suser_sname user_name object_name object_id col_name is_srvrolemember is_member
  has_dbaccess serverproperty openrowset opendatasource openquery json_extract json_keys gtid_subset
  geometrycollection polygon multipoint linestring multilinestring multipolygon randomblob zeroblob typeof
  sqlite_version load_extension unicode soundex difference stuff patindex charindex quotename to_char to_number
  to_date regexp_substr regexp_like regexp_replace regexp_instr pg_read_file pg_ls_dir current_setting set_config
  lo_import lo_export query_to_xml database_to_xml array_to_string string_to_array generate_series crc32
  aes_encrypt aes_decrypt des_encrypt des_decrypt password old_password found_rows last_insert_id row_count
  connection_id inet_aton inet_ntoa greatest least weight_string name_const analyse pow power sqrt log log10 ln
  sin cos tan atan atan2 pi sign mod div row_to_json xmlagg xmlelement xmlforest sys_context nchar values
  match against char_length bit_count get_lock release_lock is_free_lock master_pos_wait
  make_set json_object json_array st_latfromgeohash st_longfromgeohash st_pointfromgeohash
  utl_inaddr.get_host_name utl_inaddr.get_host_address utl_http.request dbms_pipe.receive_message
  dbms_lock.sleep dbms_xmlgen.getxml dbms_utility.sqlid_to_sqlhash ctxsys.drithsx.sn sys.fn_varbintohexstr
  fn_varbintohexstr xp_cmdshell xp_dirtree xp_fileexist sp_executesql sp_oacreate exec execute declare`;

function fill(map: Map<string, TokenType>, words: string, type: TokenType): void {
  for (const w of words.split(/\s+/)) if (w) map.set(w, type);
}

/** Word → type when the word is not called as a function. Later lists win over earlier ones. */
export const KEYWORDS: ReadonlyMap<string, TokenType> = (() => {
  const m = new Map<string, TokenType>();
  fill(m, KEYWORD, 'k');
  fill(m, TYPE, 't');
  fill(m, PROCEDURAL, 'T');
  fill(m, EXPRESSION, 'E');
  fill(m, UNION, 'U');
  fill(m, WORD_OPERATOR, 'o');
  fill(m, LOGIC, '&');
  fill(m, LITERAL, '1');
  m.set('collate', 'A');
  return m;
})();

/** Words that are functions when followed by '(' (possibly after whitespace). */
export const FUNCTIONS: ReadonlySet<string> = new Set(FUNCTION.split(/\s+/).filter((w) => w));

/**
 * Two-word phrases that fold into one token (first word, second word → type of the phrase).
 * Three-word phrases chain: the fold of the first two is looked up again with the third.
 */
export const PHRASES: ReadonlyMap<string, TokenType> = new Map<string, TokenType>([
  ['group by', 'B'],
  ['order by', 'B'],
  ['partition by', 'B'],
  ['union all', 'U'],
  ['union distinct', 'U'],
  ['except all', 'U'],
  ['intersect all', 'U'],
  ['is not', 'o'],
  ['not in', 'o'],
  ['not like', 'o'],
  ['not rlike', 'o'],
  ['not regexp', 'o'],
  ['not ilike', 'o'],
  ['not between', 'o'],
  ['not similar', 'o'],
  ['similar to', 'o'],
  ['sounds like', 'o'],
  ['is distinct', 'o'],
  ['is not distinct', 'o'],
  ['is distinct from', 'o'],
  ['is not distinct from', 'o'],
  ['left join', 'k'],
  ['right join', 'k'],
  ['inner join', 'k'],
  ['cross join', 'k'],
  ['full join', 'k'],
  ['natural join', 'k'],
  ['left outer', 'k'],
  ['right outer', 'k'],
  ['full outer', 'k'],
  ['left outer join', 'k'],
  ['right outer join', 'k'],
  ['full outer join', 'k'],
  ['waitfor delay', 'T'],
  ['waitfor time', 'T'],
  ['in boolean', 'k'],
  ['in boolean mode', 'k'],
  ['with rollup', 'k'],
  ['for update', 'k'],
  ['character set', 'k'],
  ['at time', 'k'],
  ['at time zone', 'k'],
  ['into outfile', 'k'],
  ['into dumpfile', 'k'],
  ['create or', 'E'],
  ['create or replace', 'E'],
  ['insert into', 'E'],
  ['delete from', 'E'],
  ['drop table', 'E'],
  ['create table', 'E'],
  ['alter table', 'E'],
  ['truncate table', 'E'],
  ['exec master', 'E'],
  ['select distinct', 'E'],
  ['select all', 'E'],
  ['select top', 'E'],
]);

/** First words of PHRASES (and of their folds): only these can start a merge. */
export const PHRASE_HEADS: ReadonlySet<string> = new Set([...PHRASES.keys()].map((k) => k.slice(0, k.lastIndexOf(' '))));
