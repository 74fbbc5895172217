import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorToProblem } from './error-to-problem';
import { PROBLEM_CONTENT_TYPE } from './problem';

/** Every error that reaches Nest leaves as application/problem+json (docs/api.md "Errors"). */
@Catch()
export class ProblemExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(err: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    sendProblem(reply, request, err, this.logger);
  }
}

export function sendProblem(reply: FastifyReply, request: FastifyRequest, err: unknown, logger: Pick<Logger, 'error'>): void {
  const instance = (request.url ?? '/').split('?')[0];
  const { problem, headers, unexpected } = errorToProblem(err, instance);
  if (unexpected) logger.error({ err, requestId: request.id, path: instance }, 'unexpected error while handling a request');
  if (reply.sent) return;
  reply.status(problem.status).headers(headers).type(PROBLEM_CONTENT_TYPE).send(problem);
}
