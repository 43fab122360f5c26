import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BlobServiceClient } from '@azure/storage-blob';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { readConfig } from '../../src/config.js';
import { definitions } from '../../src/definitions.js';
import { bicepParams, bicepStringVariable } from '../support/bicepLint.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const EMULATORS = join(ROOT, 'emulators');
const INFRA = join(ROOT, 'infra');

interface ComposeService {
  image: string;
  ports?: string[];
  volumes?: string[];
  environment?: Record<string, string>;
  depends_on?: string[];
}
const compose = parseYaml(readFileSync(join(EMULATORS, 'compose.yaml'), 'utf8')) as { services: Record<string, ComposeService> };
const emulatorConfig = JSON.parse(readFileSync(join(EMULATORS, 'servicebus-config.json'), 'utf8'));
const sample = JSON.parse(readFileSync(join(ROOT, 'local.settings.sample.json'), 'utf8')) as { Values: Record<string, string> };

/**
 * The Service Bus emulator's limits on a queue's properties, from its Config.json schema
 * (azure-service-bus-emulator-installer, ServiceBus-Emulator/Schema/Config-schema.json); it
 * refuses a configuration outside them.
 */
const EMULATOR_LIMITS = {
  lockDurationSeconds: { min: 5, max: 300 },
  maxDeliveryCount: { min: 1, max: 10 },
  duplicateDetectionWindowSeconds: { min: 5, max: 300 },
  messageTimeToLiveSeconds: { min: 300, max: 3600 },
};

/** Seconds in an ISO 8601 duration of days, hours, minutes and seconds, such as PT1M or P14D. */
function durationSeconds(duration: string): number {
  const parts = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(duration);
  if (!parts || duration === 'P' || duration.endsWith('T')) throw new Error(`not an ISO 8601 duration: ${duration}`);
  const [days, hours, minutes, seconds] = parts.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number];
  return ((days * 24 + hours) * 60 + minutes) * 60 + seconds;
}

/** The orders queue as Azure gets it: servicebus.bicep's queue properties, with main.bicep's values for the params it passes. */
async function azureQueue() {
  const moduleFile = join(INFRA, 'modules', 'servicebus.bicep');
  const queueBody = /^resource queue '[^']+' = \{([\s\S]*?)^\}/m.exec(readFileSync(moduleFile, 'utf8'))?.[1] ?? '';
  const moduleCall = /^module serviceBus 'modules\/servicebus\.bicep' = \{([\s\S]*?)^\}/m.exec(readFileSync(join(INFRA, 'main.bicep'), 'utf8'))?.[1] ?? '';
  const [moduleParams, mainParams] = [await bicepParams(moduleFile), await bicepParams(join(INFRA, 'main.bicep'))];
  const param = (name: string) => {
    const passed = new RegExp(`^\\s*${name}:\\s*(\\w+)\\s*$`, 'm').exec(moduleCall)?.[1];
    return passed && mainParams.has(passed) ? mainParams.get(passed)!.default : moduleParams.get(name)?.default;
  };
  const property = (name: string) => {
    const expression = new RegExp(`^\\s*${name}:\\s*(.+?)\\s*$`, 'm').exec(queueBody)?.[1];
    if (expression === undefined) throw new Error(`servicebus.bicep's queue has no ${name}`);
    if (expression === 'true' || expression === 'false') return expression === 'true';
    const secondsFromParam = /^'PT\$\{(\w+)\}S'$/.exec(expression);
    if (secondsFromParam) return `PT${param(secondsFromParam[1]!)}S`;
    return /^\w+$/.test(expression) ? param(expression) : expression.replace(/^'(.*)'$/, '$1');
  };
  return {
    name: await bicepStringVariable(join(INFRA, 'main.bicep'), 'ordersQueueName'),
    lockDurationSeconds: durationSeconds(String(property('lockDuration'))),
    maxDeliveryCount: Number(property('maxDeliveryCount')),
    requiresDuplicateDetection: property('requiresDuplicateDetection'),
    duplicateDetectionWindowSeconds: durationSeconds(String(property('duplicateDetectionHistoryTimeWindow'))),
    deadLetteringOnMessageExpiration: property('deadLetteringOnMessageExpiration'),
    messageTimeToLiveSeconds: durationSeconds(String(property('defaultMessageTimeToLive'))),
    requiresSession: property('requiresSession'),
  };
}

/** The emulator's queue named `name`, in the same shape. */
function emulatorQueue(name: string) {
  const [namespace] = emulatorConfig.UserConfig.Namespaces;
  const queue = namespace.Queues.find((candidate: { Name: string }) => candidate.Name === name);
  if (!queue) throw new Error(`no queue ${name} in emulators/servicebus-config.json`);
  const p = queue.Properties;
  return {
    name: queue.Name as string,
    lockDurationSeconds: durationSeconds(p.LockDuration),
    maxDeliveryCount: p.MaxDeliveryCount as number,
    requiresDuplicateDetection: p.RequiresDuplicateDetection as boolean,
    duplicateDetectionWindowSeconds: durationSeconds(p.DuplicateDetectionHistoryTimeWindow),
    deadLetteringOnMessageExpiration: p.DeadLetteringOnMessageExpiration as boolean,
    messageTimeToLiveSeconds: durationSeconds(p.DefaultMessageTimeToLive),
    requiresSession: p.RequiresSession as boolean,
  };
}

/** The host port a compose service publishes for its container port, bound to loopback. */
function publishedPort(service: string, containerPort: number): number | undefined {
  for (const mapping of compose.services[service]?.ports ?? []) {
    const parts = mapping.split(':');
    if (Number(parts.at(-1)) === containerPort && parts.length === 3 && parts[0] === '127.0.0.1') return Number(parts[1]);
  }
  return undefined;
}

describe('emulators/: the Functions host path on local stand-ins for Azure', () => {
  it('runs Azurite, the Service Bus emulator on its SQL Server, and MongoDB, with the queue configuration mounted where the emulator reads it', () => {
    const { azurite, servicebus, sqlserver, mongodb } = compose.services;
    expect(azurite?.image).toMatch(/^mcr\.microsoft\.com\/azure-storage\/azurite/);
    expect(servicebus?.image).toMatch(/^mcr\.microsoft\.com\/azure-messaging\/servicebus-emulator:/);
    expect(sqlserver?.image).toMatch(/^mcr\.microsoft\.com\/mssql\/server:/);
    expect(mongodb?.image).toMatch(/^mongo:/);
    expect(servicebus?.volumes).toContain('./servicebus-config.json:/ServiceBus_Emulator/ConfigFiles/Config.json:ro');
    expect(existsSync(join(EMULATORS, 'servicebus-config.json'))).toBe(true);
    expect(servicebus?.environment?.SQL_SERVER).toBe('sqlserver');
    expect(servicebus?.depends_on).toContain('sqlserver');
    // The emulator signs in to its SQL Server with the same SA password; both need the licence accepted.
    expect(servicebus?.environment?.MSSQL_SA_PASSWORD).toBe(sqlserver?.environment?.MSSQL_SA_PASSWORD);
    expect(servicebus?.environment?.ACCEPT_EULA).toBe(sqlserver?.environment?.ACCEPT_EULA);
    expect(emulatorConfig.UserConfig.Namespaces.map((n: { Name: string }) => n.Name)).toEqual(['sbemulatorns']);
    expect(emulatorConfig.UserConfig.Logging.Type).toMatch(/Console|File/);
  });

  it("gives the emulator's queue the Bicep queue's settings and the embedded queue's defaults, within the emulator's limits", async () => {
    const azure = await azureQueue();
    expect(definitions.flatMap((d) => (d.kind === 'serviceBusQueue' ? [d.queueName] : []))).toEqual([azure.name]);
    expect({
      lockDurationMs: azure.lockDurationSeconds * 1000,
      maxDeliveryCount: azure.maxDeliveryCount,
      duplicateDetectionWindowMs: azure.duplicateDetectionWindowSeconds * 1000,
    }).toEqual(readConfig({}).queue);
    const clamp = (value: number, { min, max }: { min: number; max: number }) => Math.min(Math.max(value, min), max);
    const emulated = emulatorQueue(azure.name!);
    expect(emulated).toEqual({
      ...azure,
      // The emulator holds message ids for at most 5 minutes and messages for at most an hour.
      duplicateDetectionWindowSeconds: clamp(azure.duplicateDetectionWindowSeconds, EMULATOR_LIMITS.duplicateDetectionWindowSeconds),
      messageTimeToLiveSeconds: clamp(azure.messageTimeToLiveSeconds, EMULATOR_LIMITS.messageTimeToLiveSeconds),
    });
    expect(azure.requiresDuplicateDetection).toBe(true);
    for (const [name, { min, max }] of Object.entries(EMULATOR_LIMITS)) {
      const value = emulated[name as keyof typeof EMULATOR_LIMITS];
      expect(value, `${name} within the emulator's limits`).toBeGreaterThanOrEqual(min);
      expect(value, `${name} within the emulator's limits`).toBeLessThanOrEqual(max);
    }
  });

  it("tells the app the emulator's duplicate detection window, so the outbox re-sends only inside it", () => {
    const { queue } = readConfig(sample.Values);
    expect(queue.duplicateDetectionWindowMs / 1000).toBe(emulatorQueue('orders').duplicateDetectionWindowSeconds);
  });

  it("points local.settings.sample.json's connections at the ports compose publishes", () => {
    const { adapters, azure } = readConfig(sample.Values);
    expect(adapters).toBe('azure');

    const mongo = new URL(azure!.mongo.uri);
    expect(['127.0.0.1', 'localhost']).toContain(mongo.hostname);
    expect(publishedPort('mongodb', 27017)).toBe(Number(mongo.port || 27017));

    // Endpoint=sb://localhost with no port: the emulator's AMQP port, 5672.
    const serviceBus = 'connectionString' in azure!.serviceBus ? azure!.serviceBus.connectionString : '';
    expect(serviceBus).toMatch(/(^|;)UseDevelopmentEmulator=true(;|$)/);
    const endpoint = new URL(/(?:^|;)Endpoint=([^;]+)/.exec(serviceBus)?.[1] ?? 'missing:');
    expect(['127.0.0.1', 'localhost']).toContain(endpoint.hostname);
    expect(publishedPort('servicebus', 5672)).toBe(Number(endpoint.port || 5672));

    // The images (blob) and the Functions host's own storage (blobs, queues and tables for timers
    // and Durable Functions) use Azurite's well-known development endpoints.
    const images = 'connectionString' in azure!.images ? azure!.images.connectionString : '';
    for (const storage of [images, sample.Values.AzureWebJobsStorage!]) {
      const blob = new URL(BlobServiceClient.fromConnectionString(storage).url);
      expect(publishedPort('azurite', 10000)).toBe(Number(blob.port));
    }
    expect(sample.Values.AzureWebJobsStorage).toBe('UseDevelopmentStorage=true');
    expect([publishedPort('azurite', 10001), publishedPort('azurite', 10002)]).toEqual([10001, 10002]);
  });
});
