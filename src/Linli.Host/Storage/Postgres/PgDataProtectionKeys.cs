using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Linli.Storage.Postgres;

/// <summary>
/// ASP.NET Core's data-protection keys in PostgreSQL: every instance reads the cookies and links any other protected.
/// </summary>
public sealed class PgDataProtectionKeys(PostgresDatabase db) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements() =>
        db.Run(c => c.Query<string>("SELECT xml FROM data_protection_keys ORDER BY created_at, name")
            .Select(xml => XElement.Parse(xml)).ToList());

    public void StoreElement(XElement element, string friendlyName) =>
        db.Run(c => c.Execute("""
            INSERT INTO data_protection_keys (name, xml) VALUES (@friendlyName, @xml) ON CONFLICT (name) DO NOTHING
            """, new { friendlyName, xml = element.ToString(SaveOptions.DisableFormatting) }));
}
