/** A user's or group's attributes (multi-valued, as Crowd models them). */
export function AttributesTable({
  attributes,
  caption,
}: {
  attributes: ReadonlyArray<{ name: string; values: readonly string[] }>;
  caption: string;
}) {
  if (attributes.length === 0) return <p className="hint">No attributes.</p>;
  return (
    <div className="table-scroll">
      <table>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Attribute</th>
            <th scope="col">Values</th>
          </tr>
        </thead>
        <tbody>
          {attributes.map((a) => (
            <tr key={a.name}>
              <th scope="row" className="browse-attribute-name">
                {a.name}
              </th>
              <td>
                {a.values.length === 1 ? (
                  a.values[0]
                ) : (
                  <ul className="browse-plain-list">
                    {a.values.map((v, i) => (
                      <li key={i}>{v}</li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
