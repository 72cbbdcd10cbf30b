import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSourceTable, sourceOfImage, UNLISTED_SOURCE } from './eval-sources.js';

describe('eval sources', () => {
  it('parses a sources.tsv with a header: the source_repo column, paths normalised', () => {
    const table = parseSourceTable(
      [
        'path\tsource_repo\tsource_path\tcommit\tnote',
        'identity/alex/001.jpg\tageitgey/face_recognition\texamples/a.jpg\t2e2d\t',
        './identity/obama/006.jpg\tElisonSherton/Face-Applications\tb.png\ta575\tGlint360k 112x112 aligned crop',
        '',
        '# a comment',
        'identity\\obama\\007.jpg\tkrasserm/face-recognition\r',
        'identity/nobody/1.jpg\t',
      ].join('\n'),
    );
    assert.deepEqual(
      [...table],
      [
        ['identity/alex/001.jpg', 'ageitgey/face_recognition'],
        ['identity/obama/006.jpg', 'ElisonSherton/Face-Applications'],
        ['identity/obama/007.jpg', 'krasserm/face-recognition'],
      ],
    );
  });

  it('a header names the source column; without one the second column is the source', () => {
    assert.deepEqual(
      [...parseSourceTable('path\tnote\tsource\nidentity/a/1.jpg\tx\tlfw\n')],
      [['identity/a/1.jpg', 'lfw']],
    );
    assert.deepEqual(
      [...parseSourceTable('identity/a/1.jpg\tlfw\nidentity/a/2.jpg\tcrops\n')],
      [
        ['identity/a/1.jpg', 'lfw'],
        ['identity/a/2.jpg', 'crops'],
      ],
    );
  });

  it('the table decides, then a <source>/identity/<person>/ layout, else no source', () => {
    const table = parseSourceTable('identity/a/1.jpg\tlfw\n');
    assert.equal(sourceOfImage('identity/a/1.jpg', table), 'lfw');
    assert.equal(sourceOfImage('identity/a/2.jpg', table), UNLISTED_SOURCE);
    assert.equal(sourceOfImage('webcam/identity/a/1.jpg', table), 'webcam');
    assert.equal(sourceOfImage('webcam/identity/a/1.jpg'), 'webcam');
    assert.equal(sourceOfImage('identity/a/1.jpg'), undefined);
    // Only a folder directly above identity/<person>/<file> names a source.
    assert.equal(sourceOfImage('a/b/identity/p/1.jpg'), undefined);
  });
});
