using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NetOpsBot.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DropLegacyApprovals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "approvals");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "approvals",
                columns: table => new
                {
                    incident_id = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    plan_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    approver_platform = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    approver_user_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    approver_display_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    decision = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
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
        }
    }
}
