using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NetOpsBot.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class IncidentRunbookId : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "runbook_id",
                table: "incidents",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "ssh-unreachable");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "runbook_id",
                table: "incidents");
        }
    }
}
