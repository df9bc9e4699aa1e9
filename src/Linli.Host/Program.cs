using Linli.Accounts;
using Linli.Channels.BotFramework;
using Linli.Channels.DirectLine;
using Linli.Chat;
using Linli.Communities;
using Linli.Fees;
using Linli.Hosting;
using Linli.Pages.Transparency;
using Linli.MaintenanceFund;
using Linli.Mediation;
using Linli.Seeding;
using Linli.Storage;
using Linli.Notices;
using Linli.Privacy;
using Linli.PublicRevenue;
using Linli.Projects;
using Linli.StaffConsole;
using Linli.TeaTable;
using Linli.Tickets;
using Linli.Understanding;
using Linli.Uploads;
using Microsoft.AspNetCore.RateLimiting;

var builder = WebApplication.CreateBuilder(args);
builder.AddWebDefaults();
builder.AddAccounts();
builder.AddStorage();
builder.AddDemoSeed();
builder.AddUnderstanding();
builder.AddChat();
builder.AddBotFramework();
builder.AddDirectLine();
builder.AddFees();
builder.AddPublicRevenue();
builder.AddMaintenanceFund();
builder.AddProjects();
builder.AddTeaTable();
builder.AddMediation();
builder.AddTransparency();
builder.AddRateLimits();
builder.AddPrivacy();
builder.Services.AddRazorPages(o =>
{
    // Posting a sign-in form or following a sign-in link counts against the client address.
    o.Conventions.AddPageApplicationModelConvention("/SignIn", page => page.EndpointMetadata.Add(new EnableRateLimitingAttribute(RateLimits.SignIn)));
    o.Conventions.AddPageApplicationModelConvention("/Link", page => page.EndpointMetadata.Add(new EnableRateLimitingAttribute(RateLimits.SignIn)));
});

var app = builder.Build();
app.UseWebDefaults();
app.UseAuthentication();
app.UsePasswordChangeFirst();
app.UseAuthorization();
app.UseRateLimiter();
app.MapAuth();
app.MapAccounts();
app.MapPrivacy();
app.MapBotFramework();
app.MapDirectLine();
app.MapChatPage();
app.MapUnderstanding();
app.MapCommunities();
app.MapFees();
app.MapPublicRevenue();
app.MapMaintenanceFund();
app.MapProjects();
app.MapProofs();
app.MapTickets();
app.MapNotices();
app.MapStaffConsole();
app.MapTeaTable();
app.MapMediation();
app.MapTransparency();
app.MapRazorPages();
app.MapHub<StaffConsoleHub>(StaffConsoleHub.Path);

return await app.RunOrExplainAsync();

public partial class Program;
