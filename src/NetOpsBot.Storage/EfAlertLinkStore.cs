using Microsoft.EntityFrameworkCore;
using NetOpsBot.Core.Incidents;
using NetOpsBot.Storage.Entities;

namespace NetOpsBot.Storage;

/// <summary>
/// <see cref="IAlertLinkStore"/> on EF Core. The primary key (source, identity) decides races between
/// replicas; a transition is a conditional update, so only one delivery announces it.
/// </summary>
internal sealed class EfAlertLinkStore(IDbContextSource contexts) : IAlertLinkStore
{
    public async Task<IReadOnlyDictionary<string, AlertLink>> GetAsync(string source, IReadOnlyCollection<string> identities, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        ArgumentNullException.ThrowIfNull(identities);
        if (identities.Count == 0)
        {
            return new Dictionary<string, AlertLink>(StringComparer.Ordinal);
        }

        var wanted = identities.ToList();
        var db = contexts.Create();
        await using (db.ConfigureAwait(false))
        {
            var rows = await db.AlertLinks.AsNoTracking()
                .Where(l => l.Source == source && wanted.Contains(l.Identity))
                .ToListAsync(cancellationToken)
                .ConfigureAwait(false);
            return rows.ToDictionary(r => r.Identity, ToLink, StringComparer.Ordinal);
        }
    }

    public async Task PutAsync(IReadOnlyCollection<AlertLink> links, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(links);
        if (links.Count == 0)
        {
            return;
        }

        // Update what exists, insert the rest; an insert that loses to another replica's is an update next round.
        for (var attempt = 0; ; attempt++)
        {
            var db = await contexts.CreateForWriteAsync(cancellationToken).ConfigureAwait(false);
            await using (db.ConfigureAwait(false))
            {
                foreach (var bySource in links.GroupBy(l => l.Source))
                {
                    var ids = bySource.Select(l => l.Identity).ToList();
                    var existing = await db.AlertLinks
                        .Where(l => l.Source == bySource.Key && ids.Contains(l.Identity))
                        .ToDictionaryAsync(l => l.Identity, StringComparer.Ordinal, cancellationToken)
                        .ConfigureAwait(false);
                    foreach (var link in bySource)
                    {
                        if (existing.TryGetValue(link.Identity, out var row))
                        {
                            row.IncidentId = link.Incident.Value;
                            row.Generation = link.Generation;
                            row.Status = link.Status.ToString();
                            row.UpdatedAt = Instants.Normalize(link.UpdatedAt);
                        }
                        else
                        {
                            var added = ToRow(link);
                            existing[link.Identity] = added;
                            db.AlertLinks.Add(added);
                        }
                    }
                }

                try
                {
                    await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                    return;
                }
                catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e) && attempt < 3)
                {
                }
            }
        }
    }

    public async Task<bool> TransitionAsync(string source, string identity, AlertLinkStatus from, AlertLinkStatus status, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var fromText = from.ToString();
        var toText = status.ToString();
        var when = Instants.Normalize(at);
        var db = await contexts.CreateForWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var updated = await db.AlertLinks
                .Where(l => l.Source == source && l.Identity == identity && l.Status == fromText)
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.Status, toText).SetProperty(l => l.UpdatedAt, when), cancellationToken)
                .ConfigureAwait(false);
            return updated == 1;
        }
    }

    private static AlertLink ToLink(AlertLinkRow r) =>
        new(r.Source, r.Identity, IncidentId.Parse(r.IncidentId), r.Generation, Enum.Parse<AlertLinkStatus>(r.Status), r.UpdatedAt);

    private static AlertLinkRow ToRow(AlertLink l) => new()
    {
        Source = l.Source,
        Identity = l.Identity,
        IncidentId = l.Incident.Value,
        Generation = l.Generation,
        Status = l.Status.ToString(),
        UpdatedAt = Instants.Normalize(l.UpdatedAt),
    };
}
