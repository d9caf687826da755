using NetOpsBot.Core.Incidents;

namespace NetOpsBot.Core.Chat;

/// <summary>
/// One chat platform as a place where incidents are shown. The host hands every notification to every
/// surface; a surface shows only incidents whose <see cref="Incident.Channel"/> is on its own
/// <see cref="Platform"/> (the local web chat, an operator console, shows them all).
/// </summary>
public interface IChatSurface : IIncidentNotifier
{
    /// <summary>Platform key: <c>teams</c>, <c>slack</c>, <c>webchat</c>.</summary>
    string Platform { get; }
}
