import { QueryFailedError } from 'typeorm';
import { errorToProblem } from './error-to-problem';
import { isDependencyUnavailable } from './unavailable-dependency';

const pgError = (code: string, message: string) => Object.assign(new Error(message), { code, severity: 'FATAL' });

describe('errors of an unreachable database or queue backend', () => {
  it.each([
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    [
      'a dual-stack connect that failed on every address',
      new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })], ''),
    ],
    [
      'a server that died under a query',
      new QueryFailedError('SELECT 1', [], pgError('57P01', 'terminating connection due to unexpected postmaster exit')),
    ],
    ['a server starting up', pgError('57P03', 'the database system is starting up')],
    ['a connection exception', pgError('08006', 'connection failure')],
    ['too many connections', pgError('53300', 'sorry, too many clients already')],
    ['a database refusing connections', pgError('55000', 'database "x" is not currently accepting connections')],
    ['a cut connection (pg)', new Error('Connection terminated unexpectedly')],
    ['a pool timeout', new Error('timeout exceeded when trying to connect')],
    ['a wrapped cause', new Error('outer', { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) })],
    ['Redis gone (ioredis)', new Error('Connection is closed.')],
    [
      'Redis gone after retries (ioredis)',
      Object.assign(new Error('Reached the max retries per request limit (which is 3).'), { name: 'MaxRetriesPerRequestError' }),
    ],
  ])('%s is a 503 with Retry-After', (_what, err) => {
    expect(isDependencyUnavailable(err)).toBe(true);
    const { problem, headers, unexpected } = errorToProblem(err, '/api/v1/tasks');
    expect(problem).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE', instance: '/api/v1/tasks' });
    expect(Number(headers['retry-after'])).toBeGreaterThan(0);
    expect(unexpected).toBe(false);
  });

  it.each([
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a failed query', new QueryFailedError('SELECT nope', [], pgError('42703', 'column "nope" does not exist'))],
    ['a unique violation', pgError('23505', 'duplicate key value violates unique constraint')],
    ['another 55000', pgError('55000', 'currval of sequence "s" is not yet defined in this session')],
  ])('%s stays a 500', (_what, err) => {
    expect(isDependencyUnavailable(err)).toBe(false);
    expect(errorToProblem(err, '/x').problem.status).toBe(500);
  });
});
