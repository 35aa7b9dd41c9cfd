// Plain unit tests of the catalog's page logic (no browser): node --test, run by CatalogLogicTest.
import test from 'node:test';
import assert from 'node:assert/strict';
import { changes, parseRef, snippets, may, duration, bytes, link } from '../../main/resources/META-INF/resources/catalog/util.js';
import { lineageDot } from '../../main/resources/META-INF/resources/catalog/graph.js';

const f = (name, dataType, extra = {}) => ({ name, reference: `g.${name}`, dataType, description: null, unit: null, nullable: true,
  min: null, max: null, expression: null, sourceDatasets: [], sourceFeatures: [], ...extra });

test('changes between versions name added, removed and changed features and settings', () => {
  const v1 = { features: [f('a', 'INT'), f('b', 'STRING')], ttlSeconds: 60, tags: ['x'], description: 'd' };
  const v2 = { features: [f('a', 'BIGINT'), f('c', 'DOUBLE')], ttlSeconds: 120, tags: ['x', 'y'], description: 'd' };
  assert.deepEqual(changes(v1, v2), ['a: dataType "INT" → "BIGINT"', 'added feature c (DOUBLE)', 'removed feature b', 'ttlSeconds: 60 → 120',
    'tags: x → x, y']);
  assert.deepEqual(changes(v1, v1), []);
  assert.deepEqual(changes(null, v2), []);
});

test('feature references with and without a version', () => {
  assert.deepEqual(parseRef('orders.amount'), { group: 'orders', version: undefined, feature: 'amount' });
  assert.deepEqual(parseRef('orders@3.amount'), { group: 'orders', version: 3, feature: 'amount' });
  assert.equal(parseRef('orders'), null);
  assert.equal(parseRef('.amount'), null);
});

test('snippets use the feature, its entity keys and Feast names', () => {
  const s = snippets('http://h:8080', 'orders.amount', [{ name: 'customer_id', valueType: 'BIGINT' }, { name: 'sku', valueType: 'STRING' }]);
  assert.match(s.graphql, /onlineFeatures\(features: \["orders.amount"\], entities: \[\{customer_id: 1,sku: "id-1"\}\]\)/);
  assert.match(s.online, /"features":\["orders:amount"\],"entities":\{"customer_id":\[1\],"sku":\["id-1"\]\}/);
  assert.match(s.online, /^curl -s http:\/\/h:8080\/get-online-features/);
  assert.match(s.training, /historical-features\?features=orders.amount/);
});

test('roles include the ones below them; an open instance allows everything', () => {
  assert.equal(may({ roles: ['ADMIN'] }, 'WRITER'), true);
  assert.equal(may({ roles: ['WRITER'] }, 'ADMIN'), false);
  assert.equal(may({ roles: ['READER'] }, 'WRITER'), false);
  assert.equal(may({ open: true, roles: [] }, 'ADMIN'), true);
  assert.equal(may(null, 'READER'), false);
});

test('formats', () => {
  assert.equal(duration(86400 * 30), '30 days');
  assert.equal(duration(90), '90 s');
  assert.equal(duration(0), 'none');
  assert.equal(bytes(1536), '1.5 KiB');
  assert.equal(link.search({ q: 'a b', kind: '', after: null }), '#/?q=a+b');
  assert.equal(link.group('g', 2), '#/group/g/v/2');
});

test('the lineage graph quotes names and links every node', () => {
  const group = { name: 'g', version: 1, queryTemplate: { sources: ['silver.tx'] },
    features: [f('a', 'INT', { sourceDatasets: ['bronze."raw"'], sourceFeatures: ['h.b'] }), f('c', 'DOUBLE')] };
  const dot = lineageDot(group, [{ downstreamFeatures: ['k@1.d'], featureServices: ['svc'] }, null]);
  assert.match(dot, /"ds:bronze.\\"raw\\"" \[label="bronze.\\"raw\\""/);
  assert.match(dot, /"ds:silver.tx" -> "group:g";/);
  assert.match(dot, /"f:h.b" -> "f:g.a";/);
  assert.match(dot, /"f:g.a" -> "f:k@1.d";/);
  assert.match(dot, /"f:g.a" -> "svc:svc";/);
  assert.match(dot, /URL="#\/feature\/g.c"/);
  assert.doesNotMatch(dot, /"f:g.c" -> /);
  // a template's bare source and a feature's layer.name of the same dataset are one node
  const same = lineageDot({ name: 'g', version: 1, queryTemplate: { sources: ['transactions'] },
    features: [f('a', 'INT', { sourceDatasets: ['silver.transactions'] })] }, []);
  assert.equal((same.match(/shape=cylinder/g) || []).length, 1);
  assert.match(same, /"ds:silver.transactions" -> "group:g";/);
  // the same name in two layers is two datasets
  const layers = lineageDot({ name: 'g', version: 1, queryTemplate: { sources: ['transactions'] },
    features: [f('a', 'INT', { sourceDatasets: ['silver.transactions', 'gold.transactions'] })] }, []);
  assert.equal((layers.match(/shape=cylinder/g) || []).length, 2);
  const wide = lineageDot({ ...group, features: Array.from({ length: 45 }, (_, i) => f(`x${i}`, 'INT')) }, []);
  assert.match(wide, /… 5 more features/);
});
