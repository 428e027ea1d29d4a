/**
 * Responses delegation: the backend model a delegated turn runs on. Its events reach the client wrapped in
 * `response.event{delegation_id, event}` (gpt_live_types.py:291-294): response.created → output_item.done
 * (a reasoning item, then the function call) → response.completed with usage. A response completes with its
 * calls unanswered; outputs come as response.item.create, and one response.create runs the continuation once
 * every call in the session has its output — a response.create with any call open is refused with
 * function_call_outputs_required naming the missing call ids (livekit/agents#7266, from live probes).
 */
import { newId } from '../ids.js';
import type { LiveEffects } from '../scenarios.js';
import { LIVE_MESSAGES } from './protocol.js';

export interface BackendTool {
  name: string;
  parameters?: { properties?: Record<string, { type?: string }>; required?: string[] };
}

export interface BackendHost {
  readonly pace: number;
  readonly live: LiveEffects;
  send(event: Record<string, unknown>): void;
  later(ms: number, fn: () => void): void;
  error(code: string, message: string, param: string | null, clientEventId: string | null): void;
  log(line: string): void;
  /** The voice model speaks the continuation's result on its own (gpt_live.py:133). */
  speakContinuation(text: string): void;
}

interface Call {
  callId: string;
  name: string;
  output: string | null;
}

const STEP_MS = 150;

export class Backend {
  private readonly calls: Call[] = [];
  private outputsSinceContinuation = 0;
  private delegationId: string | null = null;
  private stuck = false;

  constructor(
    private readonly host: BackendHost,
    private model: string,
    private tools: BackendTool[],
  ) {}

  get hasTools(): boolean {
    return this.tools.length > 0;
  }

  /** session.update's sparse delegation settings. */
  update(model: string | undefined, tools: BackendTool[] | undefined): void {
    if (model) this.model = model;
    if (tools) this.tools = tools;
  }

  /** A delegated turn: session.delegation.created, then one backend response (two under early continuation). */
  delegate(): string {
    const id = newId('del', 16);
    this.delegationId = id;
    this.host.send({ type: 'session.delegation.created', delegation: { id, target: 'responses' } });
    const tool = this.tools[0]!;
    // under early continuation a second response starts while the first runs (agents-js#2495's test shape:
    // two responses under one delegation), so its call is open when the first completes
    const second = (): void => {
      if (this.host.live.earlyContinuation) this.runResponse(id, tool, { sync: true, completeAfterMs: 4 * STEP_MS });
    };
    this.host.later(STEP_MS / this.host.pace, () => this.runResponse(id, tool, { afterCall: second }));
    return id;
  }

  /** One backend response with one function call; `sync` sends created and the call at once. */
  private runResponse(delegationId: string, tool: BackendTool, o: { sync?: boolean; completeAfterMs?: number; afterCall?: () => void } = {}): void {
    const responseId = newId('resp', 16);
    const call: Call = { callId: newId('call', 16), name: tool.name, output: null };
    this.calls.push(call);
    this.envelope(delegationId, { type: 'response.created', response: { id: responseId, model: this.model } });
    this.envelope(delegationId, { type: 'response.output_item.done', item: { id: newId('rs', 16), type: 'reasoning', status: 'completed' } });
    const emitCall = (): void => {
      this.envelope(delegationId, {
        type: 'response.output_item.done',
        item: {
          id: newId('fc', 16),
          type: 'function_call',
          status: 'completed',
          call_id: call.callId,
          name: call.name,
          arguments: JSON.stringify(argumentsFor(tool)),
        },
      });
      o.afterCall?.();
      this.host.later((o.completeAfterMs ?? 2 * STEP_MS) / this.host.pace, () => {
        this.envelope(delegationId, { type: 'response.completed', response: { id: responseId, model: this.model, usage: usage(120, 24) } });
      });
    };
    if (o.sync) emitCall();
    else this.host.later(STEP_MS / this.host.pace, emitCall);
  }

  /** response.item.create: a function_call_output is queued for the next continuation. */
  itemCreate(item: unknown): void {
    if (typeof item !== 'object' || item === null) return;
    const it = item as { type?: unknown; call_id?: unknown; output?: unknown };
    if (it.type !== 'function_call_output' || typeof it.call_id !== 'string') return;
    const call = this.calls.find((c) => c.callId === it.call_id);
    if (!call) {
      this.host.log(`response.item.create for unknown call ${it.call_id}`);
      return;
    }
    call.output = typeof it.output === 'string' ? it.output : JSON.stringify(it.output ?? '');
    this.outputsSinceContinuation++;
  }

  /** response.create: the continuation, refused while any call is open (silently under live-deadlock). */
  responseCreate(clientEventId: string | null): void {
    if (this.stuck) {
      this.host.log('response.create ignored: the backend is stuck (live-deadlock)');
      return;
    }
    const open = this.calls.filter((c) => c.output === null).map((c) => c.callId);
    if (open.length > 0) {
      if (this.host.live.deadlock) {
        this.stuck = true;
        this.host.log(`response.create with open calls ${open.join(', ')}: no answer, ever (live-deadlock)`);
        return;
      }
      this.host.error('function_call_outputs_required', LIVE_MESSAGES.outputsRequired(open), null, clientEventId);
      return;
    }
    if (this.outputsSinceContinuation === 0 || !this.delegationId) {
      this.host.log('response.create with nothing to continue');
      return;
    }
    const answered = this.calls.filter((c) => c.output !== null);
    const text = answered.map((c) => c.output).join(' ');
    this.outputsSinceContinuation = 0;
    const d = this.delegationId;
    const responseId = newId('resp', 16);
    this.envelope(d, { type: 'response.created', response: { id: responseId, model: this.model } });
    this.host.later((2 * STEP_MS) / this.host.pace, () => {
      this.envelope(d, { type: 'response.completed', response: { id: responseId, model: this.model, usage: usage(180, 32) } });
      this.host.speakContinuation(`Here is what I found: ${text}`);
    });
  }

  private envelope(delegationId: string, event: Record<string, unknown>): void {
    if (this.stuck) return;
    this.host.send({ type: 'response.event', delegation_id: delegationId, event });
  }
}

function usage(input: number, output: number): Record<string, unknown> {
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: 8 },
    total_tokens: input + output,
  };
}

/** Arguments that satisfy the tool's required parameters (a placeholder per JSON type). */
function argumentsFor(tool: BackendTool): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const props = tool.parameters?.properties ?? {};
  for (const name of tool.parameters?.required ?? []) {
    const type = props[name]?.type;
    out[name] = type === 'number' || type === 'integer' ? 1 : type === 'boolean' ? true : 'lkdiag';
  }
  return out;
}
