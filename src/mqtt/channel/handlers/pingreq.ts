/** @module mqtt/channel/handlers/pingreq — PINGREQ [MQTT-3.12]; the keep-alive clock was reset on receipt. */
import type { Channel } from '../channel.js';

export function handlePingreq(channel: Channel): void {
  channel.send({ cmd: 'pingresp' });
}
