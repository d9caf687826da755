using Microsoft.EntityFrameworkCore;
using NetOpsBot.Storage.Entities;

namespace NetOpsBot.Storage;

/// <summary>Model of the remediation tables; kept apart from the incident model so each stays readable.</summary>
internal static class RemediationModel
{
    /// <summary>SQL (valid on SQLite and PostgreSQL) true for a request that is pending, approved or executing.</summary>
    public const string OpenStateFilter = "state IN ('Pending', 'Approved', 'Executing')";

    public static void Configure(ModelBuilder modelBuilder, string? jsonColumnType)
    {
        modelBuilder.Entity<RemediationRequestRow>(e =>
        {
            e.ToTable("remediation_requests");
            e.HasKey(x => x.Id).HasName("pk_remediation_requests");
            e.Property(x => x.Id).HasColumnName("id").HasMaxLength(16);
            e.Property(x => x.IncidentId).HasColumnName("incident_id").HasMaxLength(16);
            e.Property(x => x.PlanId).HasColumnName("plan_id").HasMaxLength(128);
            e.Property(x => x.DeviceName).HasColumnName("device_name").HasMaxLength(64);
            e.Property(x => x.Kind).HasColumnName("kind").HasMaxLength(16);
            Json(e.Property(x => x.Commands).HasColumnName("commands"), jsonColumnType);
            e.Property(x => x.SaveBeforeReboot).HasColumnName("save_before_reboot");
            e.Property(x => x.DiagnosisAt).HasColumnName("diagnosis_at");
            e.Property(x => x.RootCauses).HasColumnName("root_causes").HasMaxLength(1000);
            e.Property(x => x.RequesterPlatform).HasColumnName("requester_platform").HasMaxLength(32);
            e.Property(x => x.RequesterUserId).HasColumnName("requester_user_id").HasMaxLength(128);
            e.Property(x => x.RequesterDisplayName).HasColumnName("requester_display_name").HasMaxLength(200);
            e.Property(x => x.ChannelPlatform).HasColumnName("channel_platform").HasMaxLength(32);
            e.Property(x => x.ChannelId).HasColumnName("channel_id").HasMaxLength(256);
            e.Property(x => x.ThreadId).HasColumnName("thread_id").HasMaxLength(256);
            e.Property(x => x.ApproversRequired).HasColumnName("approvers_required");
            e.Property(x => x.CreatedAt).HasColumnName("created_at");
            e.Property(x => x.ExpiresAt).HasColumnName("expires_at");
            e.Property(x => x.State).HasColumnName("state").HasMaxLength(16);
            e.Property(x => x.RejectedByPlatform).HasColumnName("rejected_by_platform").HasMaxLength(32);
            e.Property(x => x.RejectedByUserId).HasColumnName("rejected_by_user_id").HasMaxLength(128);
            e.Property(x => x.RejectedByDisplayName).HasColumnName("rejected_by_display_name").HasMaxLength(200);
            e.Property(x => x.RejectedAt).HasColumnName("rejected_at");
            e.Property(x => x.ExecutionOwner).HasColumnName("execution_owner").HasMaxLength(128);
            e.Property(x => x.LeaseUntil).HasColumnName("lease_until");
            e.Property(x => x.ExecutionStartedAt).HasColumnName("execution_started_at");
            e.Property(x => x.FinishedAt).HasColumnName("finished_at");
            e.Property(x => x.ResultSummary).HasColumnName("result_summary").HasMaxLength(2000);

            // Every tracked save checks the version it read: a write based on a stale read fails instead of winning.
            e.Property(x => x.Version).HasColumnName("version").IsConcurrencyToken();

            // Listing per incident; the expiry sweep (Pending by expires_at); the restart sweep (Executing by lease).
            e.HasIndex(x => new { x.IncidentId, x.CreatedAt }).HasDatabaseName("ix_remediation_requests_incident_id_created_at");
            e.HasIndex(x => new { x.State, x.ExpiresAt }).HasDatabaseName("ix_remediation_requests_state_expires_at");
            e.HasIndex(x => new { x.State, x.LeaseUntil }).HasDatabaseName("ix_remediation_requests_state_lease_until");

            // One open request per (incident, plan), enforced by the database: two Request clicks racing on two
            // replicas cannot both insert, whatever the code before the insert checked. The filter names the
            // open states (RemediationRequestState is stored as text; keep in step with IsOpen in the store).
            e.HasIndex(x => new { x.IncidentId, x.PlanId }).IsUnique()
                .HasFilter(OpenStateFilter)
                .HasDatabaseName("ux_remediation_requests_open_plan");
            e.HasOne<IncidentRow>().WithMany().HasForeignKey(x => x.IncidentId)
                .OnDelete(DeleteBehavior.Restrict).HasConstraintName("fk_remediation_requests_incidents");
        });

        modelBuilder.Entity<RemediationApprovalRow>(e =>
        {
            e.ToTable("remediation_approvals");

            // The database itself refuses a second approval by the same person, whatever the code above does.
            e.HasKey(x => new { x.RequestId, x.ApproverPlatform, x.ApproverUserId }).HasName("pk_remediation_approvals");
            e.Property(x => x.RequestId).HasColumnName("request_id").HasMaxLength(16);
            e.Property(x => x.ApproverPlatform).HasColumnName("approver_platform").HasMaxLength(32);
            e.Property(x => x.ApproverUserId).HasColumnName("approver_user_id").HasMaxLength(128);
            e.Property(x => x.ApproverDisplayName).HasColumnName("approver_display_name").HasMaxLength(200);
            e.Property(x => x.ApproverPersonId).HasColumnName("approver_person_id").HasMaxLength(64);

            // Two accounts of one person are one approver, on every replica: the database refuses the second row.
            // Rows without a person (recorded before the directory) are NULL, which a unique index lets repeat.
            e.HasIndex(x => new { x.RequestId, x.ApproverPersonId }).IsUnique().HasDatabaseName("ux_remediation_approvals_request_id_approver_person_id");
            e.Property(x => x.At).HasColumnName("at");
            e.HasOne<RemediationRequestRow>().WithMany().HasForeignKey(x => x.RequestId)
                .OnDelete(DeleteBehavior.Restrict).HasConstraintName("fk_remediation_approvals_requests");
        });

        modelBuilder.Entity<RemediationAuditRow>(e =>
        {
            e.ToTable("remediation_audit");
            e.HasKey(x => x.Id).HasName("pk_remediation_audit");
            e.Property(x => x.Id).HasColumnName("id").ValueGeneratedOnAdd();
            e.Property(x => x.RequestId).HasColumnName("request_id").HasMaxLength(16);
            e.Property(x => x.IncidentId).HasColumnName("incident_id").HasMaxLength(16);
            e.Property(x => x.At).HasColumnName("at");
            e.Property(x => x.ActorPlatform).HasColumnName("actor_platform").HasMaxLength(32);
            e.Property(x => x.ActorId).HasColumnName("actor_id").HasMaxLength(128);
            e.Property(x => x.ActorDisplayName).HasColumnName("actor_display_name").HasMaxLength(200);
            e.Property(x => x.ChannelPlatform).HasColumnName("channel_platform").HasMaxLength(32);
            e.Property(x => x.ChannelId).HasColumnName("channel_id").HasMaxLength(256);
            e.Property(x => x.ThreadId).HasColumnName("thread_id").HasMaxLength(256);
            e.Property(x => x.Action).HasColumnName("action").HasMaxLength(32);
            e.Property(x => x.Outcome).HasColumnName("outcome").HasMaxLength(32);
            Json(e.Property(x => x.Detail).HasColumnName("detail"), jsonColumnType);
            e.HasIndex(x => new { x.RequestId, x.Id }).HasDatabaseName("ix_remediation_audit_request_id_id");
            e.HasIndex(x => new { x.IncidentId, x.Id }).HasDatabaseName("ix_remediation_audit_incident_id_id");

            // Restrict: an audit row must never vanish with (or block the silent removal of) its request.
            e.HasOne<RemediationRequestRow>().WithMany().HasForeignKey(x => x.RequestId)
                .OnDelete(DeleteBehavior.Restrict).HasConstraintName("fk_remediation_audit_requests");
        });
    }

    private static void Json<T>(Microsoft.EntityFrameworkCore.Metadata.Builders.PropertyBuilder<T> property, string? jsonColumnType)
    {
        if (jsonColumnType is not null)
        {
            property.HasColumnType(jsonColumnType);
        }
    }
}
