import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PersistentStore } from './persist.js';
import { engine, ids, request, run } from './test-helpers.js';

test('initcol: IP collection persists across transactions of one engine', () => {
  const e = engine(`SecRuleEngine On
SecAction "id:1,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR},setvar:ip.hits=+1"
SecRule IP:hits "@gt 2" "id:2,phase:1,deny,status:429"`);
  const a = request({ remoteAddr: '198.51.100.1' });
  assert.equal(run(e, a).interruption, undefined);
  assert.equal(run(e, a).interruption, undefined);
  assert.deepEqual(run(e, a).interruption, { action: 'deny', status: 429, ruleId: 2 });
  assert.equal(run(e, request({ remoteAddr: '198.51.100.2' })).interruption, undefined, 'other addresses have their own record');
});

test('setvar on a collection that was never initialised is ignored', () => {
  const tx = run(engine('SecAction "id:1,phase:1,pass,setvar:ip.x=1"\nSecRule &IP:x "@eq 0" "id:2,phase:1,pass"'), request());
  assert.deepEqual(ids(tx), [1, 2]);
});

test('records expire after SecCollectionTimeout; expirevar drops single variables', () => {
  let now = 1_000_000;
  const store = new PersistentStore(10, () => now);
  const c = store.open('IP', '1.2.3.4', 60);
  c.set('a', '1');
  c.set('b', '2');
  store.expire(c, 'b', 10);
  now += 11_000;
  const again = store.open('IP', '1.2.3.4', 60);
  assert.equal(again.get('a'), '1');
  assert.equal(again.get('b'), undefined);
  assert.equal(again.get('IS_NEW'), '0');
  now += 61_000;
  const fresh = store.open('IP', '1.2.3.4', 60);
  assert.equal(fresh.get('a'), undefined);
  assert.equal(fresh.get('IS_NEW'), '1');
});

test('the store is bounded', () => {
  const store = new PersistentStore(3, () => 0);
  for (let i = 0; i < 10; i++) store.open('IP', String(i), 60).set('x', '1');
  assert.equal(store.size, 3);
  assert.equal(store.open('IP', '9', 60).get('x'), '1', 'the most recent survive');
});

test('setuid / setsid open USER and SESSION; setenv fills ENV', () => {
  const e = engine(`SecRuleEngine On
SecRule ARGS:user "@rx ^\\w+$" "id:1,phase:1,pass,nolog,setuid:%{ARGS.user},setvar:user.visits=+1"
SecRule REQUEST_COOKIES:sid "@rx ." "id:2,phase:1,pass,nolog,setsid:%{REQUEST_COOKIES.sid},setvar:session.n=+1,setenv:seen=%{SESSIONID}"
SecRule USER:visits "@ge 2" "id:3,phase:1,pass,msg:'user %{USERID} again'"
SecRule ENV:seen "@streq abc" "id:4,phase:1,pass"`);
  const req = request({ uri: '/?user=bob', headers: [['Cookie', 'sid=abc']] });
  assert.deepEqual(ids(run(e, req)), [4]);
  const tx = run(e, req);
  assert.deepEqual(ids(tx), [3, 4]);
  assert.equal(tx.matchedRules[0]?.msg, 'user bob again');
  assert.equal(tx.state.persisted('SESSION')?.get('n'), '2');
});
