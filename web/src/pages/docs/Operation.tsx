/**
 * One operation of the reference: method and path, summary, who may call it, parameters, the
 * request body, and each response — success bodies with their schema, errors with the codes
 * they carry (all errors share one shape, shown once at the top of the page).
 */
import { errorCodes, securityText, type Document, type Operation as Op, type Response } from './openapi.ts';
import { SchemaView, typeLabel } from './SchemaView.tsx';
import { Inline } from './Prose.tsx';

function Responses({ responses, doc }: { responses: Record<string, Response>; doc: Document }) {
  const entries = Object.entries(responses);
  const ok = entries.filter(([status]) => /^[123]/.test(status));
  const errors = entries.filter(([status]) => !/^[123]/.test(status));
  return (
    <>
      {ok.map(([status, response]) => (
        <div key={status} class="doc-response">
          <h4><span class="doc-status doc-status-ok">{status}</span> <Inline text={response.description ?? ''} /></h4>
          {Object.entries(response.content ?? {}).map(([type, media]) => (
            <div key={type}>
              <p class="muted small">{type}</p>
              {type === 'application/json' ? <SchemaView schema={media.schema} doc={doc} /> : null}
            </div>
          ))}
        </div>
      ))}
      {errors.length > 0 && (
        <table class="table doc-errors">
          <caption class="visually-hidden">Error responses</caption>
          <thead><tr><th scope="col">status</th><th scope="col">codes</th></tr></thead>
          <tbody>
            {errors.map(([status, response]) => (
              <tr key={status}>
                <td><span class="doc-status doc-status-error">{status}</span></td>
                <td>{errorCodes(response).length > 0 ? errorCodes(response).map((c) => <code key={c} class="doc-code">{c}</code>) : <span class="muted">{response.description}</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

export function Operation({ operation, doc }: { operation: Op; doc: Document }) {
  const { id, method, path, op } = operation;
  const body = op.requestBody?.content;
  return (
    <article class="doc-op card" id={id} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} class="doc-op-title" tabIndex={-1}>
        <span class={`doc-method doc-method-${method}`}>{method.toUpperCase()}</span> <code>{path}</code>
      </h3>
      {op.summary && <p class="doc-summary">{op.summary}</p>}
      {op.description && <p class="muted"><Inline text={op.description} /></p>}
      <p class="small"><strong>Auth:</strong> {securityText(op)}</p>
      {op.parameters && op.parameters.length > 0 && (
        <>
          <h4>Parameters</h4>
          <ul class="schema">
            {op.parameters.map((p) => (
              <li key={`${p.in}:${p.name}`}>
                <code class="schema-name">{p.name}</code>{p.required && <span class="schema-required" title="required"> *</span>}{' '}
                <span class="muted">in {p.in}</span> <span class="schema-type">{typeLabel(doc, p.schema)}</span>
                {p.description && <span class="schema-desc"> — <Inline text={p.description} /></span>}
              </li>
            ))}
          </ul>
        </>
      )}
      {body && (
        <>
          <h4>Request body</h4>
          {Object.entries(body).map(([type, media]) => (
            <div key={type}><p class="muted small">{type}</p><SchemaView schema={media.schema} doc={doc} /></div>
          ))}
        </>
      )}
      <h4>Responses</h4>
      <Responses responses={op.responses ?? {}} doc={doc} />
    </article>
  );
}
