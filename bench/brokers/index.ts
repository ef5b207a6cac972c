/** @module bench/brokers — the brokers the bench can run, by command-line name. */
import type { BrokerStarter } from './broker-handle.js';
import { startAedes } from './aedes.js';
import { startForwarder } from './forwarder.js';
import { startHako } from './hako.js';
import { startMosquitto } from './mosquitto.js';

export type { BrokerHandle, BrokerStarter } from './broker-handle.js';

export const BROKERS: Readonly<Record<string, BrokerStarter>> = {
  hako: startHako,
  mosquitto: startMosquitto,
  aedes: startAedes,
  forwarder: startForwarder,
};

export const BROKER_NAMES = Object.keys(BROKERS);
