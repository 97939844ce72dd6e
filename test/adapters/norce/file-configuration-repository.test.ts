// FileConfigurationRepository beyond the shared contract: start-up failures and read-once.
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileConfigurationRepository } from '../../../src/adapters/norce/file-configuration-repository';
import { right } from '../../contract/norce-order-repository.contract';
import { readNorceFixture } from './norce-fixtures';

describe('FileConfigurationRepository', () => {
  let dir: string;
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qliro-adapter-file-config-'));
  });
  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a missing file stops start-up, naming the path', () => {
    const missing = path.join(dir, 'missing.json');
    expect(() => new FileConfigurationRepository(missing)).to.throw(`ADAPTER_CONFIG_FILE ${missing}: cannot be read (ENOENT)`);
  });

  it('a file that is not JSON, or not merchant → channel → document, stops start-up', () => {
    expect(() => new FileConfigurationRepository(write('bad.json', '{'))).to.throw(/bad\.json: not valid JSON$/);
    expect(() => new FileConfigurationRepository(write('array.json', '[]'))).to.throw(/expected an object of merchant → channel → configuration$/);
    expect(() => new FileConfigurationRepository(write('flat.json', '{"m": 1}'))).to.throw(/merchant m: expected an object of channel → configuration$/);
  });

  it('reads the file once: later edits are not seen', async () => {
    const file = write('channels.json', JSON.stringify({ m: { c: readNorceFixture('config/qliro_checkout_adapter.json') } }));
    const repo = new FileConfigurationRepository(file);
    fs.writeFileSync(file, '{}');
    expect(right(await repo.get({ merchant: 'm', channel: 'c' })()).apiUrl).to.equal('https://pago.qit.nu');
  });
});
