using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NetOpsBot.Storage.Migrations.Sqlite
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
                type: "TEXT",
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
