using NetOpsBot.Host;
using NetOpsBot.Host.Alerts;
using NetOpsBot.Host.Secrets;
using NetOpsBot.Platforms;
using NetOpsBot.Ssh;

// Content root = the build folder: the page and appsettings travel with the binaries, wherever the
// host is started from (the demo script, a test, a container).
if (HealthProbe.IsRequested(args))
{
    Environment.ExitCode = await HealthProbe.RunAsync().ConfigureAwait(false);
    return;
}

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Host.UseNetOpsBotSerilog();

// The web chat's exposure is decided before anything else: a combination that is not safe stops the host here.
var webChat = builder.AddNetOpsWebChatExposure();
builder.Services.AddNetOpsBotTelemetry(builder.Configuration);
builder.Services.AddNetOpsOptions(builder.Configuration);
builder.Services.AddNetOpsStorage(builder.Configuration);
builder.Services.AddNetOpsBotSecrets(builder.Configuration);

// Device access and diagnosis: the same registrations and options as `netopsbot diag` (one source for both).
builder.Services.AddNetOpsSsh(builder.Configuration);
builder.Services.AddNetOpsPlatforms(builder.Configuration);

builder.Services.AddNetOpsHostOptions(builder.Configuration);
builder.Services.AddNetOpsIncidents();
builder.Services.AddNetOpsApprovals(builder.Configuration);
builder.Services.AddNetOpsChatCommands();
builder.Services.AddNetOpsChatSurfaces(builder.Configuration);
builder.AddNetOpsAlerts();
builder.Services.AddNetOpsLifecycle();

var app = builder.Build();
await app.PrepareNetOpsAsync().ConfigureAwait(false);
app.UseNetOpsWebChat(webChat);
app.MapNetOpsOperations();
app.MapNetOpsSurfaces(webChat);
await app.RunAsync().ConfigureAwait(false);
