import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import * as ws from 'ws';

type FrameOptions = { fin: boolean; opcode: number; mask: boolean; readOnly: boolean; rsv1: boolean };

/** ws's own framing (`Sender.frame`, exported by ws though its types leave it out). */
const { Sender } = ws as unknown as { Sender: { frame(data: Buffer, options: FrameOptions): Buffer[] } };
const TEXT_FRAME: FrameOptions = { fin: true, opcode: 1, mask: false, readOnly: false, rsv1: false };
/** The fallback's options: a Buffer is sent as text, not as a binary frame. */
const TEXT = { binary: false } as const;

/** One message for many sockets: its UTF-8 bytes, and those bytes framed once as an unmasked (server-sent) text frame. */
export type Framed = { payload: Buffer; frame: Buffer };

export function framedText(message: string): Framed {
  const payload = Buffer.from(message);
  return { payload, frame: Buffer.concat(Sender.frame(payload, TEXT_FRAME)) };
}

/**
 * Sends a framed message: its bytes go straight to the connection, where ws would copy the options,
 * allocate a header and cork two writes per socket for the very same bytes. Only on an open socket
 * without negotiated extensions (permessage-deflate would compress, hence re-frame, each message):
 * otherwise ws sends it. ws writes a frame as soon as it is given one unless it is compressing, so the
 * messages of a socket keep their order either way, and the bytes written count in `bufferedAmount`.
 */
export function sendFramed(socket: WebSocket, message: Framed): void {
  const raw = (socket as unknown as { _socket?: Duplex | null })._socket;
  if (raw && socket.extensions === '' && socket.readyState === socket.OPEN && raw.writable) raw.write(message.frame);
  else socket.send(message.payload, TEXT);
}
