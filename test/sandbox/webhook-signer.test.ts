import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signatureV1, signatureV3 } from '../../src/sandbox/webhooks/webhook-signer.ts';

describe('webhook signatures', () => {
  it('matches HubSpot published v1 vector', () => {
    const body =
      '[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]';
    expect(signatureV1('yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy', body)).toBe(
      '232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de',
    );
  });

  it('signs v3 over method, full URI, body and millisecond timestamp', () => {
    const uri = 'https://closeloop.example.com/webhooks/hubspot?x=1';
    const expected = createHmac('sha256', 's3cret').update(`POST${uri}[]1700000000000`).digest('base64');
    expect(signatureV3('s3cret', 'POST', uri, '[]', '1700000000000')).toBe(expected);
    expect(signatureV3('s3cret', 'POST', uri, '[]', '1700000000001')).not.toBe(expected);
  });
});
