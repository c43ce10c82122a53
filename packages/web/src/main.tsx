import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App.js";
import { configureAuth } from "./auth/cognito.js";
import { parseConfig } from "./config.js";
import "./styles.css";

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");

const result = parseConfig(import.meta.env);
if (result.ok) configureAuth(result.config);

createRoot(root).render(
  <StrictMode>
    {result.ok ? (
      <App config={result.config} />
    ) : (
      <main className="narrow">
        <h1>Localstays is not configured</h1>
        <p role="alert" className="error">
          This build of the dashboard lacks settings it needs. Rebuild it with these environment
          variables set:
        </p>
        <ul>
          {result.problems.map((problem) => (
            <li key={problem}>
              <code>{problem}</code>
            </li>
          ))}
        </ul>
      </main>
    )}
  </StrictMode>,
);
