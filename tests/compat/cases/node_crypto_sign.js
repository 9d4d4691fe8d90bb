// crypto's asymmetric keys and signatures: createPrivateKey/createPublicKey
// from PEM (RSA 2048, EC P-256, Ed25519; test keys made for this case),
// their type and details, PEM/DER export, createSign/createVerify and the
// one-shot sign/verify with PKCS#1 v1.5 (deterministic: compared byte for
// byte), PSS and ECDSA in DER and IEEE P1363 (random: verified), Ed25519,
// and the errors for a public key given to sign and text that is no key.
const crypto = require('crypto');
const KEYS = {
    "rsa.pem": "-----BEGIN PRIVATE KEY-----\nMIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQCdLfVCceiUYQfK\noXhunqTd/nj7tnGS8EOCipmOLyBzPrrlSmnL9HYb0rpBrDY0P1bcAEQVDSMRQpwM\nn9andwKIMSwf29huj9WaBTN5y0PefmImaP9WtLx9607ds0KG85k6YByDVg4Q3XmS\nb1e5bI/VRXtc1rNmB6iWSBQTVE92xjjQ60ARsjq1+JNu7IM8shzEbw7q35NkcjyY\nY+gbtLUd6SDwxgXAsvpMLVRwJ9bjtpcdwSdFn2V3sWT2Az9KZHYWGAJ7PxrZWnQ0\nQaq1oCeu2ZNBuMvyePVYlTX6kwR8aMl2uqPMe+OaLj9uxgimOvC4sms8RGI8LoY4\nNj748t8rAgMBAAECggEADD4g1QoWTuhijk/sF4GtNHVhFbTCPUBlocILRTM6gyon\nAzu76IekDiATIzu3WnPMii+jHe37W0QlmijLtBjlo5dg6SJbRfwCFpBtJVbFyeDC\nOF0D9nb2xOq9JoY976ZYZbRIGZrBrGKeg4oUpSa66qZnfiBjB4F1NNoXEOJc8NKk\neiRnBYcC5cuhlUuT+ez2RhjdmnaraQpvKkYUKk06myjLAE4PYEwCKJ5MHP2HGq1c\nVZ4eQg3fRdM/sviCa5ITGQrZ9WbXufHz00VphMBPr64vhiVtBztJ1tXm9sH92R/X\n/3Ss/ujlAN1jDMhqYQ4/OrYZS6Re7x7tnl+skGrU4QKBgQDPXFYj1din99g37QW/\nU/eNNkCe/3s5FavBZ5uSZPzuL0VWc0F4qDDlUz4EGl9qrtcb0LEi16muITJsnW5h\nY+BrooYlqZYwns8NCiB3kT5OJocxTmeiRvF4k13I1/7GffB73s/Q29kxlSVvJW5F\n2sRZ7gHnh+h5EErmpBVYB3R8swKBgQDCDFOFuEme8FmxjVgkJ83XhJiAzbkLyXvh\nfq/feVS8LjoZie9rpPWjd8Is5d2dYHr2nxXoZ1VenuL+UdFHNjrSS0j1+0+obPHj\nV4mBiQ8UeeKN3YmjzYxy3iu8EmH+pgU8V+zfzJmJ+nu6i9XY2pxSNIG1ELgO18+X\n0toLA3G/qQKBgDvir+HzjXmdA23LXyCNcG3w4CLLJ9wpnQvjDzPtRHrJXh4EdUES\nWeSw8LUgpLPbwLYAxFeKry9h2P0zTkCEJrkPG+zemEh8ZNGgPhYp9TN+vwaHXTip\ngm1PKgOqFaNflcdAZwYrqANAzqnVxo4YCyLpsNUcFBB6mxcXBi8BICwvAoGAHkcy\nGSFiS2yRckTtxeZ4FfLYoPB4uUAdFlhgNOyHrj1AT4/YTeGVeoZLRBox9EaDqUu1\nbWgCSBteq/Q0RXpOv1WD8u3dxhgJvkGAcTfjpHxIP36b5XVDPwEvrc7of4WEN6A4\nk8snAgKVn8wF+CpUTfdnbctIDPjbqYL7BtDoxNECgYAZDcN0wPT27+PnMXBPhXXz\nsqvsQ7mWvDojLM9VwdtDSuePyojvdmXDhnsCqYhBno+JhY24YeI6KNIWpcycPFE0\nNtco8SEvl4tOiTgxYPdoTO6flmnyCOOr5T1k6lDOsBjYfUaM1b7AnAj/BxVsGjeY\nZGxukav9rNhGuiHt0cXMlw==\n-----END PRIVATE KEY-----\n",
    "rsa.pub": "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAnS31QnHolGEHyqF4bp6k\n3f54+7ZxkvBDgoqZji8gcz665Uppy/R2G9K6Qaw2ND9W3ABEFQ0jEUKcDJ/Wp3cC\niDEsH9vYbo/VmgUzectD3n5iJmj/VrS8fetO3bNChvOZOmAcg1YOEN15km9XuWyP\n1UV7XNazZgeolkgUE1RPdsY40OtAEbI6tfiTbuyDPLIcxG8O6t+TZHI8mGPoG7S1\nHekg8MYFwLL6TC1UcCfW47aXHcEnRZ9ld7Fk9gM/SmR2FhgCez8a2Vp0NEGqtaAn\nrtmTQbjL8nj1WJU1+pMEfGjJdrqjzHvjmi4/bsYIpjrwuLJrPERiPC6GODY++PLf\nKwIDAQAB\n-----END PUBLIC KEY-----\n",
    "ec.pem": "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg/RDinBmydYCF5NKD\nxeMFDjDhb5RjrbnC1u+JLY7urwGhRANCAATTDYS4P6w8Sd2E/yXAuQqhYx/9+8nK\nbdAfyDzmeMLC296Q1pMvkVEJpl2Ah05OjsENlQhD//4JxR30p5fdCBVZ\n-----END PRIVATE KEY-----\n",
    "ec.pub": "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE0w2EuD+sPEndhP8lwLkKoWMf/fvJ\nym3QH8g85njCwtvekNaTL5FRCaZdgIdOTo7BDZUIQ//+CcUd9KeX3QgVWQ==\n-----END PUBLIC KEY-----\n",
    "ed.pem": "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIFjAOjpOjTpTBDWA+wyeKyG0fbavTZDBurVSkgkGhHn8\n-----END PRIVATE KEY-----\n",
    "ed.pub": "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA4H/vLYjsLmvqzgPvOTMGJ2uE29NuRTnf2e4QkyvGci0=\n-----END PUBLIC KEY-----\n"
};

module.exports = function (req, res) {
    const rsa = crypto.createPrivateKey(KEYS['rsa.pem']), rsaPub = crypto.createPublicKey(KEYS['rsa.pub']);
    const ec = crypto.createPrivateKey(KEYS['ec.pem']), ed = crypto.createPrivateKey(KEYS['ed.pem']);
    const data = Buffer.from('header.payload');
    const out = {};
    out.keys = [rsa.type, rsa.asymmetricKeyType, rsa.asymmetricKeyDetails.modulusLength, rsaPub.type,
                crypto.createPublicKey(rsa).equals(rsaPub), ec.asymmetricKeyType,
                ec.asymmetricKeyDetails.namedCurve, ed.asymmetricKeyType, rsa instanceof crypto.KeyObject];
    out.export = [rsaPub.export({ type: 'spki', format: 'pem' }) === KEYS['rsa.pub'],
                  rsa.export({ type: 'pkcs8', format: 'der' }).length > 1000];
    const sig = crypto.createSign('RSA-SHA256').update('header.').update('payload').sign(rsa, 'base64url');
    out.rs256 = [sig, crypto.createVerify('RSA-SHA256').update(data).verify(KEYS['rsa.pub'], sig, 'base64url'),
                 crypto.createVerify('sha256').update('tampered').verify(rsaPub, sig, 'base64url'),
                 crypto.sign('sha256', data, rsa).toString('base64url') === sig];
    const pss = { padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: crypto.constants.RSA_PSS_SALTLEN_DIGEST };
    out.ps256 = crypto.verify('sha256', data, { key: rsaPub, ...pss }, crypto.sign('sha256', data, { key: rsa, ...pss }));
    const p1363 = crypto.sign('sha256', data, { key: ec, dsaEncoding: 'ieee-p1363' });
    out.es256 = [p1363.length, crypto.verify('sha256', data, { key: KEYS['ec.pub'], dsaEncoding: 'ieee-p1363' }, p1363),
                 crypto.verify('sha256', data, KEYS['ec.pub'], crypto.sign('sha256', data, ec))];
    const eds = crypto.sign(null, data, ed);
    out.ed25519 = [eds.toString('hex'), crypto.verify(null, data, KEYS['ed.pub'], eds)];
    try { crypto.createSign('RSA-SHA256').update(data).sign(rsaPub); } catch (e) { out.signWithPublic = e.name; }
    try { crypto.createPrivateKey('no key here'); } catch (e) { out.noKey = e.name; }
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(out));
};
