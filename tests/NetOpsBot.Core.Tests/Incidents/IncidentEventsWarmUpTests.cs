using System.Reflection;
using System.Text.Json.Serialization;
using NetOpsBot.Core.Incidents;

namespace NetOpsBot.Core.Tests.Incidents;

public sealed class IncidentEventsWarmUpTests
{
    [Fact]
    public void WarmUp_PreparesEveryStoredKind_AndEventsStillRoundTrip()
    {
        var kinds = typeof(IncidentEvent).GetCustomAttributes<JsonDerivedTypeAttribute>().Count();

        Assert.Equal(kinds, IncidentEventsWarmUp.Run());
        // Twice is harmless: the host may be built twice in one process (tests).
        Assert.Equal(kinds, IncidentEventsWarmUp.Run());

        var note = new NoteEvent();
        var draft = IncidentEvents.Draft(note, "tester", "a note", DateTimeOffset.UnixEpoch);
        Assert.Contains("\"event\":\"note\"", draft.Data ?? string.Empty, StringComparison.Ordinal);
    }
}
