import {
  ServiceBusAdministrationClient,
  ServiceBusClient,
  type ServiceBusReceivedMessage,
  type ServiceBusSender,
} from '@azure/service-bus';
import type { TokenCredential } from '@azure/core-auth';
import type { OrderMessage } from '../../domain/schemas.js';
import type { DeadLetter, DeadLetterQuery, OrderQueue, Page } from '../../ports.js';
import type { Connection } from '../../config.js';
import { peekDeadLetters, completeDeadLetter, toDeadLetter } from './deadLetters.js';

/** The orders queue on Service Bus. One client and one sender per process, reused across invocations. */
export class ServiceBusOrderQueue implements OrderQueue {
  private readonly client: ServiceBusClient;
  private readonly admin: ServiceBusAdministrationClient;
  private readonly sender: ServiceBusSender;

  constructor(
    connection: Connection,
    private readonly queueName: string,
    credential: () => TokenCredential,
  ) {
    if ('connectionString' in connection) {
      this.client = new ServiceBusClient(connection.connectionString);
      this.admin = new ServiceBusAdministrationClient(connection.connectionString);
    } else {
      this.client = new ServiceBusClient(connection.endpoint, credential());
      this.admin = new ServiceBusAdministrationClient(connection.endpoint, credential());
    }
    this.sender = this.client.createSender(queueName);
  }

  async send(message: OrderMessage, messageId: string): Promise<void> {
    // The queue has duplicate detection on: messageId = orderId makes a re-send harmless.
    await this.sender.sendMessages({ body: message, messageId, contentType: 'application/json' });
  }

  async deadLetters(query: DeadLetterQuery): Promise<Page<DeadLetter>> {
    const receiver = this.client.createReceiver(this.queueName, { subQueueType: 'deadLetter' });
    try {
      return await peekDeadLetters(receiver, query);
    } finally {
      await receiver.close();
    }
  }

  async replayDeadLetter(sequenceNumber: string): Promise<DeadLetter | null> {
    return this.withDeadLetterReceiver(sequenceNumber, async (message) => {
      // A new messageId: the original is still inside the duplicate detection window, likely.
      await this.sender.sendMessages({
        body: message.body,
        contentType: message.contentType ?? 'application/json',
        messageId: `${String(message.messageId ?? 'message')}/replay-${sequenceNumber}`,
      });
    });
  }

  async discardDeadLetter(sequenceNumber: string): Promise<DeadLetter | null> {
    return this.withDeadLetterReceiver(sequenceNumber, async () => {});
  }

  /** Needs Manage rights (or the Data Owner role) on the namespace. */
  async depth(): Promise<{ active: number; deadLettered: number }> {
    const properties = await this.admin.getQueueRuntimeProperties(this.queueName);
    return { active: properties.activeMessageCount, deadLettered: properties.deadLetterMessageCount };
  }

  async ping(): Promise<void> {
    const receiver = this.client.createReceiver(this.queueName);
    try {
      await receiver.peekMessages(1);
    } finally {
      await receiver.close();
    }
  }

  async close(): Promise<void> {
    await this.sender.close();
    await this.client.close();
  }

  private async withDeadLetterReceiver(
    sequenceNumber: string,
    act: (message: ServiceBusReceivedMessage) => Promise<void>,
  ): Promise<DeadLetter | null> {
    const receiver = this.client.createReceiver(this.queueName, { subQueueType: 'deadLetter', receiveMode: 'peekLock' });
    try {
      const settled = await completeDeadLetter(receiver, sequenceNumber, act);
      return settled && toDeadLetter(settled);
    } finally {
      await receiver.close();
    }
  }

}

