/**
 * @module test/gateway/stages.test — stage selection from the request path (AWS "http-api-develop-routes": a named
 * stage is matched first, otherwise the `$default` stage with no prefix, otherwise Not Found).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pathWithStage, selectStage, type StageSelection } from '../../src/gateway/index.js';

const cases: [string[], string, StageSelection | undefined][] = [
  [['$default', 'dev'], '/dev/items', { stage: 'dev', path: '/items' }],
  [['$default', 'dev'], '/dev', { stage: 'dev', path: '/' }],
  [['$default', 'dev'], '/dev/', { stage: 'dev', path: '/' }],
  [['$default', 'dev'], '/dev/a/b/', { stage: 'dev', path: '/a/b/' }],
  [['$default', 'dev'], '/prod/items', { stage: '$default', path: '/prod/items' }],
  [['$default', 'dev'], '/development', { stage: '$default', path: '/development' }],
  [['$default', 'dev'], '/Dev/items', { stage: '$default', path: '/Dev/items' }],
  [['$default', 'dev'], '/', { stage: '$default', path: '/' }],
  [['$default', 'dev'], '/$default/x', { stage: '$default', path: '/$default/x' }],
  [['$default', 'dev'], '//dev', { stage: '$default', path: '//dev' }],
  [['prod', 'beta'], '/prod/x', { stage: 'prod', path: '/x' }],
  [['prod', 'beta'], '/beta', { stage: 'beta', path: '/' }],
  [['prod', 'beta'], '/x', undefined],
  [['prod', 'beta'], '/', undefined],
  [[], '/prod', undefined],
];

for (const [stages, path, expected] of cases) {
  test(`selectStage among [${stages.join(', ')}]: ${path} → ${expected === undefined ? 'Not Found' : `${expected.stage} ${expected.path}`}`, () => {
    assert.deepEqual(selectStage(path, stages), expected);
    assert.deepEqual(selectStage(path, new Set(stages)), expected, 'a Set works the same');
  });
}

test('pathWithStage puts a named stage back in front and leaves $default alone', () => {
  assert.deepEqual(
    [pathWithStage('$default', '/my/path'), pathWithStage('dev', '/my/path'), pathWithStage('Prod', '/'), pathWithStage('$default', '/')],
    ['/my/path', '/dev/my/path', '/Prod/', '/'],
  );
});
