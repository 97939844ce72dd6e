import { expect } from 'chai';
import { qliroAuthorization, qliroToken } from '../../../src/adapters/qliro/signing';

describe('Qliro request signing', () => {
  const secret = 'MySecret';
  const body = '{"MerchantApiKey":"MyKey","OrderId":12345}';

  it('signs body + secret with the raw SHA-256 digest in base64 (reference §1.2 POST/PUT vector)', () => {
    expect(qliroAuthorization(body, secret)).to.equal('Qliro BorR4lz4Z9Pni1Dqdga9SeCx4MRsAWm9aC85eDI/AbE=');
  });

  it('signs the empty string for GET, i.e. hashes the secret alone (reference §1.2 GET vector)', () => {
    expect(qliroAuthorization('', secret)).to.equal('Qliro SVYs/DsXE56gHEgLnIai3ayzj/Gy6dsb9murek4/H7U=');
  });

  it('gives a 44-character token, not the 88-character base64 of a hex digest', () => {
    expect(qliroToken(body, secret)).to.have.length(44);
    expect(qliroToken(body, secret)).not.to.match(/^MDY4YWQx/);
  });

  it('depends on the exact bytes: re-serialised JSON signs differently', () => {
    const reformatted = JSON.stringify(JSON.parse(body), null, 1);
    expect(qliroToken(reformatted, secret)).not.to.equal(qliroToken(body, secret));
  });

  it('hashes non-ASCII text as UTF-8', () => {
    expect(qliroToken('{"Description":"Kaffe – 500 g, Åre"}', secret)).to.match(/^[A-Za-z0-9+/]{43}=$/);
    // sha256 of the UTF-8 bytes C3 A5
    expect(qliroToken('å', '')).to.equal('6Dl53502CQFC8jBR+OjXrUjlwg3/XJ57kso0VPZ0afk=');
  });
});
