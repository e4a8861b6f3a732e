import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseBrokers, parseZooKeeperUrl } from './endpoint.ts';

describe('io > endpoint', () => {
  it('parses broker lists and ZooKeeper URLs', () => {
    assert.deepEqual(parseBrokers('127.0.0.1:9092', 'k'), ['127.0.0.1:9092']);
    assert.deepEqual(parseBrokers(' a:1 , b.example:65535 ', 'k'), ['a:1', 'b.example:65535']);
    assert.deepEqual(parseZooKeeperUrl('zookeeper://127.0.0.1:2181/spacker/x', 'k'), { servers: '127.0.0.1:2181', root: '/spacker/x' });
    assert.deepEqual(parseZooKeeperUrl('zookeeper://h1:1,h2:2', 'k'), { servers: 'h1:1,h2:2', root: '/spacker' });
    assert.deepEqual(parseZooKeeperUrl('zookeeper://h:1/a/', 'k'), { servers: 'h:1', root: '/a' });
  });

  it('rejects bad addresses naming the key, the value and the form allowed', () => {
    assert.throws(() => parseBrokers('', '--kafka'), /invalid value for '--kafka': "".*HOST:PORT/);
    assert.throws(() => parseBrokers('localhost', 'spacker.kafka.brokers'), /'spacker.kafka.brokers': "localhost".*HOST:PORT/);
    assert.throws(() => parseBrokers('h:0', 'k'), /port from 1 to 65535/);
    assert.throws(() => parseBrokers('h:70000', 'k'), /port from 1 to 65535/);
    assert.throws(() => parseZooKeeperUrl('127.0.0.1:2181', 'spacker.coordination'), /'spacker.coordination'.*zookeeper:\/\/HOST:PORT\/path/);
    assert.throws(() => parseZooKeeperUrl('zookeeper://h:1/a b', 'k'), /path segments/);
    assert.throws(() => parseZooKeeperUrl('zookeeper://h/x', 'k'), /HOST:PORT/);
  });
});
