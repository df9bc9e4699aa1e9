// Microsoft's botbuilder-js echo bot (the 02.echo-bot sample's bot: no state, no storage), on express, with no app id
// (anonymous, as the Bot Framework Emulator talks to a local bot). Prints the address it listens on.
const express = require('express');
const {
    ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication, MessageFactory,
} = require('botbuilder');

const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: '', MicrosoftAppPassword: '', MicrosoftAppType: 'MultiTenant',
});
const adapter = new CloudAdapter(auth);
adapter.onTurnError = async (context, error) => {
    console.error(error);
    await context.sendActivity('The bot encountered an error or bug.');
};

class EchoBot extends ActivityHandler {
    constructor() {
        super();
        this.onMessage(async (context, next) => {
            const replyText = `Echo: ${context.activity.text}`;
            await context.sendActivity(MessageFactory.text(replyText, replyText));
            await next();
        });
    }
}

const bot = new EchoBot();
const app = express();
app.use(express.json());
app.post('/api/messages', (req, res) => adapter.process(req, res, (context) => bot.run(context)));
const server = app.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
    console.log(`Now listening on: http://127.0.0.1:${server.address().port}`);
});
