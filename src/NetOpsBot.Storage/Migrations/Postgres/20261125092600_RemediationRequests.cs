using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace NetOpsBot.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class RemediationRequests : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "remediation_requests",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    incident_id = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    plan_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    device_name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    commands = table.Column<string>(type: "json", nullable: false),
                    save_before_reboot = table.Column<bool>(type: "boolean", nullable: false),
                    diagnosis_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    root_causes = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    requester_platform = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    requester_user_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    requester_display_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    channel_platform = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    channel_id = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    thread_id = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    approvers_required = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    state = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    rejected_by_platform = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    rejected_by_user_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    rejected_by_display_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    rejected_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    execution_owner = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    lease_until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    execution_started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    result_summary = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_remediation_requests", x => x.id);
                    table.ForeignKey(
                        name: "fk_remediation_requests_incidents",
                        column: x => x.incident_id,
                        principalTable: "incidents",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "remediation_approvals",
                columns: table => new
                {
                    request_id = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    approver_platform = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    approver_user_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    approver_display_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_remediation_approvals", x => new { x.request_id, x.approver_platform, x.approver_user_id });
                    table.ForeignKey(
                        name: "fk_remediation_approvals_requests",
                        column: x => x.request_id,
                        principalTable: "remediation_requests",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "remediation_audit",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    request_id = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    incident_id = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    actor_platform = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    actor_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    actor_display_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    channel_platform = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    channel_id = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    thread_id = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    action = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    outcome = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    detail = table.Column<string>(type: "json", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_remediation_audit", x => x.id);
                    table.ForeignKey(
                        name: "fk_remediation_audit_requests",
                        column: x => x.request_id,
                        principalTable: "remediation_requests",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_remediation_audit_incident_id_id",
                table: "remediation_audit",
                columns: new[] { "incident_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_remediation_audit_request_id_id",
                table: "remediation_audit",
                columns: new[] { "request_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_remediation_requests_incident_id_created_at",
                table: "remediation_requests",
                columns: new[] { "incident_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_remediation_requests_state_expires_at",
                table: "remediation_requests",
                columns: new[] { "state", "expires_at" });

            migrationBuilder.CreateIndex(
                name: "ix_remediation_requests_state_lease_until",
                table: "remediation_requests",
                columns: new[] { "state", "lease_until" });

            // Hand-written: remediation_audit is the record of who approved what and what ran. Even a bug or an
            // operator with psql must not be able to rewrite or remove it; the stores have no API for that.
            migrationBuilder.Sql(@"
CREATE FUNCTION remediation_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'remediation_audit is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$;");
            migrationBuilder.Sql(@"
CREATE TRIGGER remediation_audit_no_update_delete
    BEFORE UPDATE OR DELETE ON remediation_audit
    FOR EACH ROW EXECUTE FUNCTION remediation_audit_append_only();");
            migrationBuilder.Sql(@"
CREATE TRIGGER remediation_audit_no_truncate
    BEFORE TRUNCATE ON remediation_audit
    FOR EACH STATEMENT EXECUTE FUNCTION remediation_audit_append_only();");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS remediation_audit_no_truncate ON remediation_audit;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS remediation_audit_no_update_delete ON remediation_audit;");
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS remediation_audit_append_only();");

            migrationBuilder.DropTable(
                name: "remediation_approvals");

            migrationBuilder.DropTable(
                name: "remediation_audit");

            migrationBuilder.DropTable(
                name: "remediation_requests");
        }
    }
}
