using System.Reflection;
using System.Text.Json.Serialization;
using NetOpsBot.Core.Security;

namespace NetOpsBot.Core.Incidents;

/// <summary>
/// Builds, before a host reports ready, what the first incident would otherwise build while its requester waits:
/// System.Text.Json's metadata for every stored event kind (measured: ~0.6 s of a ~1.4 s first card on a cold host,
/// `benchmarks coldstart`) and the redactor's patterns. Nothing is written anywhere.
/// </summary>
public static class IncidentEventsWarmUp
{
    /// <summary>Returns how many event kinds were prepared (every <see cref="JsonDerivedTypeAttribute"/> of <see cref="IncidentEvent"/>).</summary>
    public static int Run()
    {
        var kinds = typeof(IncidentEvent).GetCustomAttributes<JsonDerivedTypeAttribute>().Select(a => a.DerivedType).ToList();
        // The first Serialize would lock the options and pick the reflection resolver too; GetTypeInfo needs it done first.
        IncidentEvents.Json.MakeReadOnly(populateMissingResolver: true);
        _ = IncidentEvents.Json.GetTypeInfo(typeof(IncidentEvent));
        foreach (var kind in kinds)
        {
            _ = IncidentEvents.Json.GetTypeInfo(kind);
        }

        _ = DeviceOutputRedactor.Redact("warm-up: password cipher %^%#warm-up%^%# snmp-agent community read cipher warm-up");
        return kinds.Count;
    }
}
