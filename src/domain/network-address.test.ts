import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isPublicAddress, nonPublicHostOf } from './network-address.js';

test('loopback, link-local, private and reserved addresses are not public, in IPv4 and IPv6 forms (#14)', () => {
  const internal = [
    '127.0.0.1',
    '127.1.2.3',
    '0.0.0.0',
    '10.0.0.5',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '224.0.0.1',
    '255.255.255.255',
    '::',
    '::1',
    '[::1]',
    'fe80::1%eth0',
    'fc00::1',
    'fd12:3456::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:a9fe:a9fe',
    '0:0:0:0:0:ffff:10.0.0.1',
    '::127.0.0.1',
    '64:ff9b::10.0.0.1',
    '2002:c0a8:0101::1',
    'not an address',
  ];
  for (const a of internal) assert.equal(isPublicAddress(a), false, a);
  const external = ['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'];
  for (const a of external) assert.equal(isPublicAddress(a), true, a);
});

test('a URL names a non-public host by its literal address or localhost, whatever the spelling', () => {
  for (const url of [
    'http://127.0.0.1:8080/hooks',
    'http://0x7f000001/',
    'http://2130706433/',
    'http://[::ffff:127.0.0.1]/',
    'http://[::1]:9000/',
    'https://169.254.169.254/latest/meta-data',
    'http://localhost/',
    'http://api.localhost/',
  ]) {
    assert.ok(nonPublicHostOf(url), url);
  }
  for (const url of ['https://hooks.example.com/x', 'https://8.8.8.8/', 'http://[2606:4700::1]/']) {
    assert.equal(nonPublicHostOf(url), undefined, url);
  }
});
