-- Headless Neovim end-to-end test of `keylint lsp` (Neovim 0.7.2 … 0.11+).
-- Run by run.sh (protocol-level, no plugin):  nvim --headless -u NONE -i NONE -n -c "luafile protocol.lua" FILE
-- Env: KEYLINT (binary), KEYLINT_LEAK_CHECK (the shared leak check), KEY (the fabricated
--      key in the file), EXPECT_CODE (a rule code that must be reported),
--      APPLY_FIX=1 (apply the first quick fix and require the diagnostics to clear).
local function finish(code, msg)
  io.stdout:write(msg .. "\n")
  vim.cmd("cquit " .. code)
end

local keylint = os.getenv("KEYLINT") or "keylint"
-- The shared leak check over `text`; its masked report when a piece of $KEY shows.
local function leak_report(text)
  local report = vim.fn.system({ os.getenv("KEYLINT_LEAK_CHECK"), "--secret-env", "KEY", "-" }, text)
  if vim.v.shell_error ~= 0 then return report end
  return nil
end
local expect_code = os.getenv("EXPECT_CODE") or "KL102"
local apply_fix = os.getenv("APPLY_FIX") == "1"
local bufnr = vim.api.nvim_get_current_buf()
local root = vim.fn.getcwd()
local config = {
  name = "keylint",
  cmd = { keylint, "lsp" },
  root_dir = root,
  init_options = { keylint = { probe = { enable = false } } },
}

local client_id
if vim.lsp.start then
  client_id = vim.lsp.start(config)            -- 0.8+: starts and attaches
else
  client_id = vim.lsp.start_client(config)     -- 0.7
  if client_id then vim.lsp.buf_attach_client(bufnr, client_id) end
end
if not client_id then return finish(2, "FAIL: could not start keylint lsp") end

local function codes()
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
    found[#found + 1] = tostring(code)
  end
  return found
end

local function has(code)
  for _, c in ipairs(codes()) do
    if c == code then return true end
  end
  return false
end

if not vim.wait(15000, function() return has(expect_code) end, 50) then
  return finish(1, "FAIL: no " .. expect_code .. " diagnostic; got " .. table.concat(codes(), ","))
end
local client = vim.lsp.get_client_by_id(client_id)
io.stdout:write(("nvim %s offset_encoding=%s pull=%s\n"):format(
  tostring(vim.version().major .. "." .. vim.version().minor .. "." .. vim.version().patch),
  tostring(client.offset_encoding),
  tostring(client.server_capabilities.diagnosticProvider ~= nil)))
local messages = {}
for _, d in ipairs(vim.diagnostic.get(bufnr)) do
  io.stdout:write(("diag %d:%d %s %s\n"):format(d.lnum + 1, d.col + 1, tostring(d.code), d.message))
  messages[#messages + 1] = d.message
end
local leaked = leak_report(table.concat(messages, "\n"))
if leaked then return finish(1, "FAIL: key leaked in a diagnostic: " .. leaked) end

-- Hover on line 2 (the key): must answer, masked.
local hover = vim.lsp.buf_request_sync(bufnr, "textDocument/hover",
  { textDocument = { uri = vim.uri_from_bufnr(bufnr) }, position = { line = 1, character = 3 } }, 5000) or {}
local answer = hover[client_id] and hover[client_id].result
if expect_code == "KL102" then
  if not answer then return finish(1, "FAIL: no hover") end
  local text = answer.contents.value or ""
  if not text:find("sk%-proj%-…") then return finish(1, "FAIL: hover not masked as expected: " .. text) end
  local leaked = leak_report(text)
  if leaked then return finish(1, "FAIL: key leaked in hover: " .. leaked) end
end

if apply_fix then
  local lsp_diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local lsp = d.user_data and d.user_data.lsp or {}
    if lsp.range then
      lsp_diagnostics[#lsp_diagnostics + 1] = lsp       -- 0.10+: the diagnostic as received
    else                                                 -- 0.7-0.9 keep only code/data there
      lsp_diagnostics[#lsp_diagnostics + 1] = {
        range = { start = { line = d.lnum, character = d.col },
                  ["end"] = { line = d.end_lnum or d.lnum, character = d.end_col or d.col } },
        severity = d.severity, message = d.message, source = d.source,
        code = d.code or lsp.code, data = lsp.data,
      }
    end
  end
  local first = lsp_diagnostics[1]
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = first.range,
    context = { diagnostics = lsp_diagnostics },
  }
  local responses = vim.lsp.buf_request_sync(bufnr, "textDocument/codeAction", params, 5000) or {}
  local actions = responses[client_id] and responses[client_id].result or {}
  local chosen
  for _, action in ipairs(actions) do
    if action.kind == "quickfix" and action.edit then chosen = action break end
  end
  if not chosen then return finish(1, "FAIL: no quick fix offered") end
  io.stdout:write("applying: " .. chosen.title .. "\n")
  vim.lsp.util.apply_workspace_edit(chosen.edit, client.offset_encoding)
  if not vim.wait(15000, function() return #vim.diagnostic.get(bufnr) == 0 end, 50) then
    return finish(1, "FAIL: diagnostics not cleared after the fix: " .. table.concat(codes(), ","))
  end
  io.stdout:write("cleared after fix: " .. table.concat(vim.api.nvim_buf_get_lines(bufnr, 1, 2, false), ""):sub(1, 24) .. "…\n")
end

vim.lsp.stop_client(client_id)
vim.wait(2000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 50)
finish(0, "PASS")
