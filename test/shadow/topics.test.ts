/** @module test/shadow/topics.test — which topics are shadow requests, and the response topics [spec §3.1]. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRequestTopic, responseTopic } from '../../src/shadow/topics.js';

test('parseRequestTopic: classic and named update/get/delete requests', () => {
  assert.deepEqual(parseRequestTopic('$aws/things/lamp:1_a-b/shadow/update'), { thingName: 'lamp:1_a-b', operation: 'update' });
  assert.deepEqual(parseRequestTopic('$aws/things/lamp/shadow/name/$cfg/delete'), { thingName: 'lamp', shadowName: '$cfg', operation: 'delete' });
});

test('parseRequestTopic: response topics, other $aws topics and invalid names are not requests', () => {
  for (const topic of [
    '$aws/things/lamp/shadow/update/accepted',
    '$aws/things/lamp/shadow/update/delta',
    '$aws/things/lamp/shadow/name/cfg/get/accepted',
    '$aws/things/lamp/shadow/name/update',
    '$aws/things/lamp/shadow/list',
    '$aws/things/lamp/jobs/get',
    '$aws/things/la.mp/shadow/get',
    '$aws/things//shadow/get',
    `$aws/things/lamp/shadow/name/${'n'.repeat(65)}/get`,
    'things/lamp/shadow/get',
  ]) assert.equal(parseRequestTopic(topic), undefined, topic);
});

test('responseTopic builds classic and named response topics', () => {
  assert.equal(responseTopic({ thingName: 't' }, 'update', 'documents'), '$aws/things/t/shadow/update/documents');
  assert.equal(responseTopic({ thingName: 't', shadowName: 's' }, 'get', 'rejected'), '$aws/things/t/shadow/name/s/get/rejected');
});
