using Linli.Channels.BotFramework;
using Linli.Channels.DirectLine;
using Linli.Chat;
using Linli.Communities;
using Linli.Fees;
using Linli.Hosting;
using Linli.Seeding;
using Linli.Storage;
using Linli.Understanding;

var builder = WebApplication.CreateBuilder(args);
builder.AddWebDefaults();
builder.AddStorage();
builder.AddDemoSeed();
builder.AddUnderstanding();
builder.AddChat();
builder.AddBotFramework();
builder.AddDirectLine();
builder.AddFees();

var app = builder.Build();
app.UseWebDefaults();
app.MapBotFramework();
app.MapDirectLine();
app.MapChatPage();
app.MapUnderstanding();
app.MapCommunities();
app.MapFees();

return await app.RunOrExplainAsync();

public partial class Program;
