using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NetOpsBot.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AlertLinks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "alert_links",
                columns: table => new
                {
                    source = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    identity = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    incident_id = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    generation = table.Column<int>(type: "INTEGER", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_alert_links", x => new { x.source, x.identity });
                    table.ForeignKey(
                        name: "fk_alert_links_incidents",
                        column: x => x.incident_id,
                        principalTable: "incidents",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_alert_links_incident_id",
                table: "alert_links",
                column: "incident_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "alert_links");
        }
    }
}
