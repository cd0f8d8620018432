/**
 * The control-plane route a client polls for a held tool call: `GET /v1/bulwark/approvals/:id`,
 * authenticated like every gateway request. A caller reads only approvals of its own requests;
 * anyone else's, like an unknown id, is a 404, so ids cannot be probed. Deciding is the CLI's
 * (`bulwark gateway approvals approve|deny`), which signs the decision.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuditSink } from '../audit-sink.js';
import { authErrorResponse, type Authenticator, type PresentedCredentials } from '../identity/index.js';
import { GatewayError, internalError } from '../openai-errors.js';
import { approvalView, type ApprovalStore } from './approvals.js';

/** What the approval routes use. */
export interface ApprovalRouteDeps {
  readonly store: Pick<ApprovalStore, 'getApproval'>;
  readonly authenticate: Authenticator;
  /** When given, every poll is recorded (`gateway.tool-approval.read`). */
  readonly audit?: AuditSink;
  /** The credentials of a request (default: its Authorization header). */
  readonly credentialsOf?: (req: FastifyRequest) => PresentedCredentials;
}

const notFound = (): GatewayError =>
  new GatewayError(404, 'invalid_request_error', 'approval_not_found', 'No such approval.');

/** Registers `GET /v1/bulwark/approvals/:id` on the gateway's fastify instance. */
export function registerApprovalRoutes(app: FastifyInstance, deps: ApprovalRouteDeps): void {
  const credentialsOf =
    deps.credentialsOf ??
    ((req: FastifyRequest): PresentedCredentials =>
      req.headers.authorization === undefined ? {} : { authorization: req.headers.authorization });

  app.get<{ Params: { id: string } }>('/v1/bulwark/approvals/:id', async (req, reply) => {
    const auth = await deps.authenticate(credentialsOf(req)).catch(() => undefined);
    if (auth === undefined) return send(reply, internalError());
    if (!auth.ok) {
      const response = authErrorResponse(auth.reason);
      deps.audit?.record({
        type: 'gateway.tool-approval.read',
        approvalId: req.params.id,
        status: response.status,
        reason: auth.reason,
      });
      return reply
        .code(response.status)
        .headers(response.headers)
        .type('application/json')
        .send(response.body);
    }
    const record = await deps.store.getApproval(req.params.id).catch(() => null);
    if (record === null) return send(reply, internalError());
    const principal = auth.principal.id;
    const visible = record !== undefined && record.principal === principal;
    deps.audit?.record({
      type: 'gateway.tool-approval.read',
      approvalId: req.params.id,
      principal,
      status: visible ? 200 : 404,
      ...(visible ? { approvalStatus: record.status } : {}),
    });
    if (!visible) return send(reply, notFound());
    return reply.type('application/json').send(approvalView(record));
  });
}

function send(reply: FastifyReply, error: GatewayError): FastifyReply {
  return reply.code(error.status).type('application/json').send(error.body());
}
