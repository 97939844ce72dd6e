// The OpenAPI document: valid OpenAPI 3, complete against the seed and the app's routes, examples that
// conform to its schemas and decode with the service's codecs, and the docs pages served without a CDN.
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import * as E from 'fp-ts/Either';
import type * as t from 'io-ts';
import SwaggerParser from '@apidevtools/swagger-parser';
import {
  documentExamples,
  openApiDocument as doc,
  type MediaTypeObject,
  type OperationObject,
  type ResponseObject,
  type SchemaOrReference,
} from '../../src/adapters/http/openapi-document';
import {
  CallbackAnswerCodec,
  ErrorBodyCodec,
  PatchOperationsCodec,
  PaymentAnswerCodec,
  ValidationDeclineCodec,
} from '../../src/adapters/http/answer-codecs';
import { decodeShippingSelection } from '../../src/adapters/http/shipping-selection-codec';
import { QliroCheckoutStatusPushCodec, QliroValidationRequestCodec } from '../../src/adapters/qliro/callback-codecs';
import { NorceOrderCodec } from '../../src/adapters/norce/codecs';
import { qliroChannelConfigurationJsonSchema } from '../../src/adapters/norce/channel-configuration-codec';
import type { RunningSandbox } from '../../src/infrastructure/sandbox';
import { SHARED, fixturePath, loadFixture } from '../support/fixtures';
import { schemaViolations } from '../support/openapi-schema-check';
import { servedRoutes } from '../support/served-routes';
import { call, createNorceOrder, norceHeaders, paymentsUrl, startTestSandbox } from '../e2e/sandbox-client';

type Method = 'get' | 'post';

const operations = (): { method: Method; path: string; op: OperationObject }[] =>
  Object.entries(doc.paths).flatMap(([p, item]) =>
    (['get', 'post'] as const).flatMap((method) => (item[method] ? [{ method, path: p, op: item[method]! }] : [])),
  );

/** Every example of a media type, with where it sits. */
const examplesOf = (media: MediaTypeObject, where: string): { where: string; value: unknown }[] => [
  ...(media.example !== undefined ? [{ where, value: media.example }] : []),
  ...Object.entries(media.examples ?? {}).map(([name, e]) => ({ where: `${where} (${name})`, value: e.value })),
];

const refName = (schema: SchemaOrReference): string | undefined => ('$ref' in schema ? schema.$ref.split('/').pop() : undefined);

/** Every example in the document, with its schema. */
function allExamples(): { where: string; schema: SchemaOrReference; value: unknown }[] {
  return operations().flatMap(({ method, path: p, op }) => {
    const bodies = Object.entries(op.requestBody?.content ?? {}).flatMap(([type, media]) =>
      examplesOf(media, `${method} ${p} request ${type}`).map((e) => ({ ...e, schema: media.schema })),
    );
    const answers = Object.entries(op.responses).flatMap(([status, response]) =>
      Object.entries((response as ResponseObject).content ?? {}).flatMap(([type, media]) =>
        examplesOf(media, `${method} ${p} ${status} ${type}`).map((e) => ({ ...e, schema: media.schema })),
      ),
    );
    return [...bodies, ...answers];
  });
}

/** Decodes, and with an exact codec also insists that nothing was dropped on the way. */
const decodesExactly = (codec: t.Type<any, any, unknown>, value: unknown): string | undefined => { // eslint-disable-line @typescript-eslint/no-explicit-any
  const decoded = codec.decode(value);
  if (E.isLeft(decoded)) return `does not decode with ${codec.name}`;
  return JSON.stringify(codec.encode(decoded.right)) === JSON.stringify(value) ? undefined : `${codec.name} drops part of it`;
};

const toTemplate = (routerPath: string): string => routerPath.replace(/:([A-Za-z_]+)/g, '{$1}');

describe('operations: the OpenAPI document', () => {
  it('is a valid OpenAPI 3 document', async function () {
    this.timeout(10000);
    await SwaggerParser.validate(JSON.parse(JSON.stringify(doc)));
  });

  it('documents every endpoint of the seed, and the additions', () => {
    const callback = '/api/checkout/v1/callback/orders/{order_id}/payments/{payment_id}';
    const om = '/api/order/v1/orders/{order_id}/payments/{payment_id}';
    const expected: [Method, string, string][] = [
      ['post', '/api/checkout/v1/orders/{order_id}/payments', 'Payments'],
      ['get', '/api/checkout/v1/orders/{order_id}/payments/{payment_id}', 'Payments'],
      ['post', '/api/checkout/v1/orders/{order_id}/payments/{payment_id}/remove', 'Payments'],
      ['post', `${callback}/validate`, 'Qliro Checkout Callbacks'],
      ['post', `${callback}/push`, 'Qliro Checkout Callbacks'],
      ['post', `${callback}/status`, 'Qliro Checkout Callbacks'],
      ['post', `${callback}/customer-update`, "Qliro Checkout 'Client-side events' Callbacks"],
      ['post', `${callback}/shipping-option-update`, "Qliro Checkout 'Client-side events' Callbacks"],
      ['post', `${callback}/cart-changed`, 'Norce Callbacks'],
      ['post', `${callback}/update-payment`, 'Norce Callbacks'],
      ['post', `${callback}/state-changed`, 'Norce Callbacks'],
      ['post', `${om}/refresh`, 'Order Management'],
      ['post', `${om}/cancel`, 'Order Management'],
      ['post', `${om}/capture`, 'Order Management'],
      ['post', `${om}/refund`, 'Order Management'],
      ['get', '/health/live', 'Operations'],
      ['get', '/health/ready', 'Operations'],
      ['get', '/metrics', 'Operations'],
    ];
    for (const [method, p, tag] of expected) {
      const op = doc.paths[p]?.[method];
      expect(op, `${method} ${p}`).to.not.equal(undefined);
      expect(op!.tags, `${method} ${p}`).to.deep.equal([tag]);
    }
    const ids = operations().map((o) => o.op.operationId);
    expect(new Set(ids).size, 'operationIds are unique').to.equal(ids.length);
  });

  it('has the headers, query parameters and security of the seed', () => {
    const names = (op: OperationObject) =>
      (op.parameters ?? []).map((p) => {
        const name = '$ref' in p ? p.$ref.split('/').pop()! : p.name;
        const resolved = doc.components.parameters[name];
        return `${resolved!.in}:${resolved!.name}`;
      });
    const op = (p: string) => doc.paths[p]!.post ?? doc.paths[p]!.get!;
    const callback = '/api/checkout/v1/callback/orders/{order_id}/payments/{payment_id}';
    expect(names(op('/api/checkout/v1/orders/{order_id}/payments'))).to.include.members(['path:order_id', 'header:x-merchant', 'header:x-channel']);
    expect(names(op(`${callback}/validate`))).to.include.members(['query:merchant', 'query:channel', 'query:token']);
    expect(names(op(`${callback}/push`))).to.include.members(['query:merchant', 'query:channel', 'query:token']);
    expect(names(op(`${callback}/shipping-option-update`))).to.include.members(['query:merchant', 'query:channel']);
    expect(names(op(`${callback}/cart-changed`))).to.include.members(['header:x-merchant', 'header:x-channel']);
    expect(doc.security).to.deep.equal([{ Bearer: [] }]);
    expect(doc.components.securitySchemes['Bearer']).to.include({ type: 'http', scheme: 'bearer' });
    expect(op(`${callback}/validate`).security, 'Qliro callbacks use the URL token, not Bearer').to.deep.equal([]);
    expect(op(`${callback}/customer-update`).security, 'client-side events use Bearer (the default)').to.equal(undefined);
  });

  it("lists the seed's error codes plus qliro-order-expired", () => {
    const seed = fs.readFileSync(path.join(SHARED, 'seed', 'qliro-checkout-adapter-api-2024.txt'), 'utf8');
    const block = /Enum: ("internal-server-error"[\s\S]*?)\n\n/.exec(seed)![1]!;
    const seedCodes = [...block.matchAll(/"([a-z-]+)"/g)].map((m) => m[1]);
    expect(seedCodes).to.have.length.greaterThan(15);
    expect(doc.components.schemas['ErrorCode']!.enum).to.have.members([...seedCodes, 'qliro-order-expired']);
  });

  it('gives request and response examples that conform to their schemas', () => {
    const examples = allExamples();
    expect(examples.length).to.be.greaterThan(40);
    const violations = examples.flatMap(({ where, schema, value }) => schemaViolations(doc, schema, value).map((v) => `${where}: ${v}`));
    expect(violations).to.deep.equal([]);
    const parameterViolations = Object.values(doc.components.parameters).flatMap((p) =>
      p.example === undefined ? [] : schemaViolations(doc, p.schema, p.example).map((v) => `${p.name}: ${v}`),
    );
    expect(parameterViolations).to.deep.equal([]);
  });

  it("gives examples that decode with the service's codecs", () => {
    const codecFor: Record<string, t.Type<any, any, unknown>> = { // eslint-disable-line @typescript-eslint/no-explicit-any
      Error: ErrorBodyCodec,
      PaymentResponse: PaymentAnswerCodec,
      ValidationDecline: ValidationDeclineCodec,
      CallbackResponse: CallbackAnswerCodec,
    };
    const checked = new Set<string>();
    const problems = allExamples().flatMap(({ where, schema, value }) => {
      const name = refName(schema);
      if (name !== undefined && codecFor[name]) {
        checked.add(name);
        const problem = decodesExactly(codecFor[name]!, value);
        return problem ? [`${where}: ${problem}`] : [];
      }
      if ('type' in schema && schema.type === 'array' && schema.items && refName(schema.items) === 'PatchOperation') {
        checked.add('PatchOperation');
        const problem = decodesExactly(PatchOperationsCodec, value);
        return problem ? [`${where}: ${problem}`] : [];
      }
      return [];
    });
    expect(problems).to.deep.equal([]);
    expect([...checked]).to.have.members(['Error', 'PaymentResponse', 'ValidationDecline', 'CallbackResponse', 'PatchOperation']);

    // Request bodies the service reads with its own codecs.
    expect(E.isRight(QliroValidationRequestCodec.decode(documentExamples.validate)), 'validate body').to.equal(true);
    expect(E.isRight(QliroCheckoutStatusPushCodec.decode(documentExamples.pushCompleted)), 'push body').to.equal(true);
    expect(E.isRight(QliroCheckoutStatusPushCodec.decode(documentExamples.pushOnHold)), 'push body').to.equal(true);
    expect(E.isRight(decodeShippingSelection(documentExamples.shippingOption)), 'shipping option body').to.equal(true);
    expect(E.isRight(NorceOrderCodec.decode(documentExamples.order)), 'hook body').to.equal(true);
  });

  it('writes the callback examples from the shared fixtures', () => {
    const pairs: [unknown, string[]][] = [
      [documentExamples.validate, ['qliro', 'callbacks', 'validate-order.request.norce-order-3.json']],
      [documentExamples.pushCompleted, ['qliro', 'callbacks', 'checkout-status-push.completed.norce-order-3.json']],
      [documentExamples.pushOnHold, ['qliro', 'callbacks', 'checkout-status-push.onhold.norce-order-3.json']],
      [documentExamples.omCaptureSuccess, ['qliro', 'callbacks', 'om-status-push.capture-success.norce-order-3.json']],
      [documentExamples.omCaptureError, ['qliro', 'callbacks', 'om-status-push.capture-error.norce-order-3.json']],
      [documentExamples.shippingOption, ['qliro', 'frontend', 'on-shipping-method-changed.postnord-pickup-se.json']],
    ];
    for (const [example, fixture] of pairs) expect(example, fixture.join('/')).to.deep.equal(loadFixture(...fixture));
  });

  it("accepts every shared callback, hook and client-event fixture under the document's schemas", () => {
    const dir = (...parts: string[]) => fs.readdirSync(fixturePath(...parts)).filter((f) => f.endsWith('.json'));
    const cases: [string, string[]][] = [
      ...dir('qliro', 'callbacks').filter((f) => f.startsWith('validate-order.request')).map((f): [string, string[]] => ['QliroOrder', ['qliro', 'callbacks', f]]),
      ...dir('qliro', 'callbacks').filter((f) => f.startsWith('checkout-status-push')).map((f): [string, string[]] => ['CheckoutStatusPush', ['qliro', 'callbacks', f]]),
      ...dir('qliro', 'callbacks').filter((f) => f.startsWith('om-status-push')).map((f): [string, string[]] => ['OrderManagementStatusPush', ['qliro', 'callbacks', f]]),
      ...dir('qliro', 'frontend').map((f): [string, string[]] => ['ShippingOptionUpdate', ['qliro', 'frontend', f]]),
      ...dir('norce', 'orders').map((f): [string, string[]] => ['Order', ['norce', 'orders', f]]),
    ];
    expect(cases.length).to.be.greaterThan(15);
    const violations = cases.flatMap(([schema, fixture]) =>
      schemaViolations(doc, { $ref: `#/components/schemas/${schema}` }, loadFixture(...fixture)).map((v) => `${fixture.join('/')}: ${v}`),
    );
    expect(violations).to.deep.equal([]);
  });

  describe('served', function () {
    this.timeout(15000);
    let sandbox: RunningSandbox;
    before(async () => {
      sandbox = await startTestSandbox();
    });
    after(async () => {
      await sandbox.stop();
    });

    it('documents every route the app serves (the docs pages aside)', () => {
      const routes = servedRoutes(sandbox.adapter.app).filter((r) => !r.path.startsWith('/docs'));
      expect(routes.length).to.be.greaterThan(8);
      const undocumented = routes.filter((r) => !doc.paths[toTemplate(r.path)]?.[r.method.toLowerCase() as Method]);
      expect(undocumented).to.deep.equal([]);
    });

    it('serves the document, the Redoc page with the bundle from the installed package, and the configuration schema', async () => {
      const json = await call(`${sandbox.adapter.url}/docs/v1/openapi.json`);
      expect(json.status).to.equal(200);
      expect(json.headers['content-type']).to.match(/^application\/json/);
      expect(json.body).to.deep.equal(JSON.parse(JSON.stringify(doc)));

      const page = await call(`${sandbox.adapter.url}/docs/v1/index.html`);
      expect(page.status).to.equal(200);
      expect(page.headers['content-type']).to.match(/^text\/html/);
      expect(page.body).to.contain('<redoc spec-url="openapi.json">').and.contain('<script src="redoc.standalone.js">');
      expect(page.body, 'no CDN').to.not.match(/(src|href)="(https?:)?\/\//);
      expect(page.headers['content-security-policy'], 'the browser loads nothing from elsewhere').to.match(/default-src 'self'/).and.match(/img-src 'self' data:/);

      const bundle = await call(`${sandbox.adapter.url}/docs/v1/redoc.standalone.js`);
      expect(bundle.status).to.equal(200);
      expect(bundle.headers['content-type']).to.match(/^application\/javascript/);
      expect(bundle.body).to.equal(fs.readFileSync(require.resolve('redoc/bundles/redoc.standalone.js'), 'utf8'));

      const schema = await call(`${sandbox.adapter.url}/openapi/v1/schemas/qliro_checkout_adapter.json`);
      expect(schema.status).to.equal(200);
      expect(schema.body).to.deep.equal(JSON.parse(JSON.stringify(qliroChannelConfigurationJsonSchema)));
    });

    it('answers as the document says (create, get, errors, health)', async () => {
      const conforms = (schema: string, value: unknown) => expect(schemaViolations(doc, { $ref: `#/components/schemas/${schema}` }, value), schema).to.deep.equal([]);
      const orderId = await createNorceOrder(sandbox, loadFixture('norce', 'order-api', 'create-order.request.json'));
      const created = await call(paymentsUrl(sandbox, orderId), { method: 'POST', headers: norceHeaders() });
      expect(created.status).to.equal(200);
      conforms('PaymentResponse', created.body);
      expect(decodesExactly(PaymentAnswerCodec, created.body)).to.equal(undefined);

      const got = await call(`${paymentsUrl(sandbox, orderId)}/${created.body.paymentId}`, { headers: norceHeaders() });
      conforms('PaymentResponse', got.body);

      for (const answer of [
        await call(paymentsUrl(sandbox, orderId), { method: 'POST', headers: { ...norceHeaders(), authorization: 'Bearer wrong-token' } }),
        await call(`${paymentsUrl(sandbox, orderId)}/pUnknown`, { headers: norceHeaders() }),
        await call(paymentsUrl(sandbox, 'oUnknown'), { method: 'POST', headers: norceHeaders() }),
      ]) {
        expect(answer.status).to.be.oneOf([401, 404]);
        conforms('Error', answer.body);
        expect(decodesExactly(ErrorBodyCodec, answer.body)).to.equal(undefined);
      }
      conforms('Health', (await call(`${sandbox.adapter.url}/health/live`)).body);
      conforms('Health', (await call(`${sandbox.adapter.url}/health/ready`)).body);
    });
  });
});
