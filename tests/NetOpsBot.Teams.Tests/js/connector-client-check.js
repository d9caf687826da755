// Drives the fake Bot Connector with the Bot Framework SDK's own REST client (botframework-connector's
// ConnectorClient): the fake must accept what the SDK sends and answer in shapes the SDK's deserializers read.
//
// usage: node connector-client-check.js <serviceUrl> <bearer token> <teams channel id> <tenant id>
// prints one JSON line with what each call returned.
'use strict';

const { ConnectorClient } = require('botframework-connector');

async function main() {
  const [serviceUrl, token, channelId, tenantId] = process.argv.slice(2);
  const credentials = {
    signRequest: async (webResource) => {
      webResource.headers.set('Authorization', `Bearer ${token}`);
      return webResource;
    },
  };
  const client = new ConnectorClient(credentials, { baseUri: serviceUrl });
  const card = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'sdk check' }] };
  const message = (text) => ({ type: 'message', text, attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }] });

  const created = await client.conversations.createConversation({
    isGroup: true,
    channelData: { channel: { id: channelId }, tenant: { id: tenantId } },
    activity: message('root'),
  });
  const reply = await client.conversations.replyToActivity(created.id, created.activityId, { type: 'message', text: 'line' });
  const update = await client.conversations.updateActivity(created.id, created.activityId, { ...message('updated'), id: created.activityId });
  const sent = await client.conversations.sendToConversation(channelId, { type: 'message', text: 'hello' });
  const members = await client.conversations.getConversationPagedMembers(channelId, { pageSize: 500 });

  process.stdout.write(JSON.stringify({
    created: { id: created.id, activityId: created.activityId },
    reply: { id: reply.id },
    update: { id: update.id },
    sent: { id: sent.id },
    members: members.members.map((m) => ({ id: m.id, name: m.name, aadObjectId: m.aadObjectId })),
  }) + '\n');
}

main().catch((err) => {
  process.stdout.write(JSON.stringify({ setupError: String((err && err.stack) || err), statusCode: err && err.statusCode }) + '\n');
  process.exitCode = 1;
});
