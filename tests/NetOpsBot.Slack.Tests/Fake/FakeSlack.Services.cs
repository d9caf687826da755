using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NetOpsBot.Testing;

namespace NetOpsBot.Slack.Tests.Fake;

internal sealed partial class FakeSlack
{
    /// <summary>
    /// NetOpsBot's Slack services in-process, pointed at this fake with its secrets, logging everything to
    /// <paramref name="log"/> on <paramref name="time"/>; <paramref name="configure"/> adds settings (approvers…).
    /// No conversation store: the classes tested this way never reach one.
    /// </summary>
    public ServiceProvider SlackServices(TimeProvider time, CapturingLogger log, Action<SlackOptions>? configure = null)
    {
        var options = new SlackOptions { SigningSecret = SigningSecret, BotToken = BotToken, AppToken = AppToken, ApiBaseUrl = ApiUrl.ToString(), TeamId = TeamId, AppId = AppId };
        configure?.Invoke(options);
        return new ServiceCollection()
            .AddLogging(b => b.AddProvider(log.AsProvider()).SetMinimumLevel(LogLevel.Trace))
            .AddSingleton(time)
            .AddSingleton<Core.Chat.IConversationStore>(_ => throw new NotSupportedException())
            .AddNetOpsBotSlack(options)
            .BuildServiceProvider();
    }
}
