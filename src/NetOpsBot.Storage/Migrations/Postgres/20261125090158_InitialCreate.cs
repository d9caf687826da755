using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NetOpsBot.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class InitialCreate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "incidents",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    idempotency_key = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    device_name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    requester_platform = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    requester_user_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    requester_display_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    channel_platform = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    channel_id = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    thread_id = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    state = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    root_causes = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    owner_instance = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    lease_until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_sequence = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_incidents", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "approvals",
                columns: table => new
                {
                    incident_id = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    plan_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    approver_platform = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    approver_user_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    approver_display_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    decision = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    nonce = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_approvals", x => new { x.incident_id, x.plan_id, x.approver_platform, x.approver_user_id });
                    table.ForeignKey(
                        name: "fk_approvals_incidents",
                        column: x => x.incident_id,
                        principalTable: "incidents",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "incident_card_messages",
                columns: table => new
                {
                    incident_id = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    platform = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    channel_id = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    message_id = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_incident_card_messages", x => new { x.incident_id, x.platform });
                    table.ForeignKey(
                        name: "fk_incident_card_messages_incidents",
                        column: x => x.incident_id,
                        principalTable: "incidents",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "timeline_events",
                columns: table => new
                {
                    incident_id = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    sequence = table.Column<long>(type: "bigint", nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    actor = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    summary = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    data = table.Column<string>(type: "json", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_timeline_events", x => new { x.incident_id, x.sequence });
                    table.ForeignKey(
                        name: "fk_timeline_events_incidents",
                        column: x => x.incident_id,
                        principalTable: "incidents",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_incidents_created_at_id",
                table: "incidents",
                columns: new[] { "created_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_incidents_state_lease_until",
                table: "incidents",
                columns: new[] { "state", "lease_until" });

            migrationBuilder.CreateIndex(
                name: "ux_incidents_idempotency_key",
                table: "incidents",
                column: "idempotency_key",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "approvals");

            migrationBuilder.DropTable(
                name: "incident_card_messages");

            migrationBuilder.DropTable(
                name: "timeline_events");

            migrationBuilder.DropTable(
                name: "incidents");
        }
    }
}
