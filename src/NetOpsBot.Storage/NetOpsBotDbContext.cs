using Microsoft.EntityFrameworkCore;
using NetOpsBot.Storage.Entities;

namespace NetOpsBot.Storage;

/// <summary>
/// The storage model. Each provider has its own derived context so that each carries its own migration
/// set (<c>Migrations/Sqlite</c>, <c>Migrations/Postgres</c>): EF binds migrations to a context type.
/// </summary>
internal abstract class NetOpsBotDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<IncidentRow> Incidents => Set<IncidentRow>();

    public DbSet<TimelineEventRow> TimelineEvents => Set<TimelineEventRow>();

    public DbSet<CardMessageRow> CardMessages => Set<CardMessageRow>();

    public DbSet<ConversationFactRow> ConversationFacts => Set<ConversationFactRow>();

    public DbSet<RemediationRequestRow> RemediationRequests => Set<RemediationRequestRow>();

    public DbSet<RemediationApprovalRow> RemediationApprovals => Set<RemediationApprovalRow>();

    public DbSet<RemediationAuditRow> RemediationAudit => Set<RemediationAuditRow>();

    public DbSet<AlertLinkRow> AlertLinks => Set<AlertLinkRow>();

    /// <summary>This context's turn as the process's writer (see <see cref="WriteGate"/>), released on disposal.</summary>
    internal IDisposable? WriteTurn { get; set; }

    /// <summary>Column type for the timeline's JSON data; provider-specific.</summary>
    protected virtual string? JsonColumnType => null;

    public override void Dispose()
    {
        try
        {
            base.Dispose();
        }
        finally
        {
            WriteTurn?.Dispose();
        }
    }

    public override async ValueTask DisposeAsync()
    {
        try
        {
            await base.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            WriteTurn?.Dispose();
        }
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<IncidentRow>(e =>
        {
            e.ToTable("incidents");
            e.HasKey(x => x.Id).HasName("pk_incidents");
            e.Property(x => x.Id).HasColumnName("id").HasMaxLength(16);
            e.Property(x => x.IdempotencyKey).HasColumnName("idempotency_key").HasMaxLength(256);
            e.HasIndex(x => x.IdempotencyKey).IsUnique().HasDatabaseName("ux_incidents_idempotency_key");
            e.Property(x => x.DeviceName).HasColumnName("device_name").HasMaxLength(64);
            e.Property(x => x.RequesterPlatform).HasColumnName("requester_platform").HasMaxLength(32);
            e.Property(x => x.RequesterUserId).HasColumnName("requester_user_id").HasMaxLength(128);
            e.Property(x => x.RequesterDisplayName).HasColumnName("requester_display_name").HasMaxLength(200);
            e.Property(x => x.ChannelPlatform).HasColumnName("channel_platform").HasMaxLength(32);
            e.Property(x => x.ChannelId).HasColumnName("channel_id").HasMaxLength(256);
            e.Property(x => x.ThreadId).HasColumnName("thread_id").HasMaxLength(256);
            e.Property(x => x.State).HasColumnName("state").HasMaxLength(32);
            e.Property(x => x.RunbookId).HasColumnName("runbook_id").HasMaxLength(64).HasDefaultValue(RowMapper.LegacyRunbookId);
            e.Property(x => x.CreatedAt).HasColumnName("created_at");
            e.Property(x => x.UpdatedAt).HasColumnName("updated_at");
            e.Property(x => x.RootCauses).HasColumnName("root_causes").HasMaxLength(1000);
            e.Property(x => x.OwnerInstance).HasColumnName("owner_instance").HasMaxLength(128);
            e.Property(x => x.LeaseUntil).HasColumnName("lease_until");
            e.Property(x => x.LastSequence).HasColumnName("last_sequence");

            // Lists are newest first; the restart sweep looks for in-progress incidents and their leases.
            e.HasIndex(x => new { x.CreatedAt, x.Id }).HasDatabaseName("ix_incidents_created_at_id");
            e.HasIndex(x => new { x.State, x.LeaseUntil }).HasDatabaseName("ix_incidents_state_lease_until");
        });

        modelBuilder.Entity<TimelineEventRow>(e =>
        {
            e.ToTable("timeline_events");

            // The key is the unique (incident, sequence) pair: a second writer of the same number fails.
            e.HasKey(x => new { x.IncidentId, x.Sequence }).HasName("pk_timeline_events");
            e.Property(x => x.IncidentId).HasColumnName("incident_id").HasMaxLength(16);
            e.Property(x => x.Sequence).HasColumnName("sequence").ValueGeneratedNever();
            e.Property(x => x.At).HasColumnName("at");
            e.Property(x => x.Kind).HasColumnName("kind").HasMaxLength(32);
            e.Property(x => x.Actor).HasColumnName("actor").HasMaxLength(200);
            e.Property(x => x.Summary).HasColumnName("summary").HasMaxLength(500);
            var data = e.Property(x => x.Data).HasColumnName("data");
            if (JsonColumnType is { } jsonType)
            {
                data.HasColumnType(jsonType);
            }

            // Restrict: deleting an incident must not silently take its audit trail with it.
            e.HasOne<IncidentRow>().WithMany().HasForeignKey(x => x.IncidentId)
                .OnDelete(DeleteBehavior.Restrict).HasConstraintName("fk_timeline_events_incidents");
        });

        modelBuilder.Entity<CardMessageRow>(e =>
        {
            e.ToTable("incident_card_messages");
            e.HasKey(x => new { x.IncidentId, x.Platform }).HasName("pk_incident_card_messages");
            e.Property(x => x.IncidentId).HasColumnName("incident_id").HasMaxLength(16);
            e.Property(x => x.Platform).HasColumnName("platform").HasMaxLength(32);
            e.Property(x => x.ChannelId).HasColumnName("channel_id").HasMaxLength(256);
            e.Property(x => x.MessageId).HasColumnName("message_id").HasMaxLength(256);
            e.HasOne<IncidentRow>().WithMany().HasForeignKey(x => x.IncidentId)
                .OnDelete(DeleteBehavior.Cascade).HasConstraintName("fk_incident_card_messages_incidents");
        });

        modelBuilder.Entity<ConversationFactRow>(e =>
        {
            e.ToTable("conversation_facts");
            e.HasKey(x => new { x.Platform, x.Key }).HasName("pk_conversation_facts");
            e.Property(x => x.Platform).HasColumnName("platform").HasMaxLength(32);
            e.Property(x => x.Key).HasColumnName("key").HasMaxLength(256);
            e.Property(x => x.Value).HasColumnName("value").HasMaxLength(8192);
            e.Property(x => x.UpdatedAt).HasColumnName("updated_at");
        });

        modelBuilder.Entity<AlertLinkRow>(e =>
        {
            e.ToTable("alert_links");

            // The key is the unique (source, identity) pair: two replicas handling the same notification store one link.
            e.HasKey(x => new { x.Source, x.Identity }).HasName("pk_alert_links");
            e.Property(x => x.Source).HasColumnName("source").HasMaxLength(32);
            e.Property(x => x.Identity).HasColumnName("identity").HasMaxLength(200);
            e.Property(x => x.IncidentId).HasColumnName("incident_id").HasMaxLength(16);
            e.Property(x => x.Generation).HasColumnName("generation");
            e.Property(x => x.Status).HasColumnName("status").HasMaxLength(16);
            e.Property(x => x.UpdatedAt).HasColumnName("updated_at");
            e.HasIndex(x => x.IncidentId).HasDatabaseName("ix_alert_links_incident_id");
            e.HasOne<IncidentRow>().WithMany().HasForeignKey(x => x.IncidentId)
                .OnDelete(DeleteBehavior.Cascade).HasConstraintName("fk_alert_links_incidents");
        });

        RemediationModel.Configure(modelBuilder, JsonColumnType);
    }
}
