import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';
import { answerMediaView } from '../../src/scaffold/media-view.js';
// The generated projects' own code (a template file that imports nothing generated).
import { renderAnswer } from '../../templates/common/src/http/body-media.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** Answers declared in `application/vnd.api+json` or `application/hal+json` only were sent as application/json. */
describe('answers in a JSON type of their own', () => {
  it('are served in the type the spec declares, CRUD or not', () => {
    const { model } = modelFromOpenApi('json-answer-type.yaml', fixtures);
    const answers = model.resources.find((r) => r.name === 'Note')!.served!.answers;
    expect(answerMediaView(answers.create)?.answer).toEqual(['application/vnd.api+json']);
    expect(answerMediaView(answers.read)?.answer).toEqual(['application/hal+json']);
    const stats = model.operations.find((o) => o.operationId === 'getStats')!;
    expect(answerMediaView(stats.answer)?.answer).toEqual(['application/vnd.api+json']);
  });

  it('are written as the JSON answer in that type, without a charset; application/json is left to the caller', () => {
    const media = { answer: ['application/vnd.api+json'] };
    const answer = renderAnswer('application/vnd.api+json', media, { a: 1 }, () => '{"a":1}');
    expect(answer?.type).toBe('application/vnd.api+json');
    expect(String(answer?.body)).toBe('{"a":1}');
    expect(renderAnswer('application/json', media, { a: 1 }, () => '{"a":1}')).toBeUndefined();
  });
});
