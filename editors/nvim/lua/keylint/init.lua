-- keylint for Neovim: the language server (`keylint lsp`) on env, Compose and YAML files and
-- on the source files that read them (go to definition, references, hover), plus
-- :KeylintProbe (the server's `keylint.probe` command). Neovim 0.11+ can use
-- `vim.lsp.enable('keylint')` with lsp/keylint.lua;
-- `require('keylint').setup()` starts the server on 0.7–0.10 (and works on 0.11 too).
local M = {}

-- Env and YAML files (linted), and the source languages whose variable reads the server
-- navigates (definition, references, hover; never linted).
M.filetypes = {
  'dotenv', 'yaml', 'yaml.docker-compose', 'yaml.github',
  'python', 'javascript', 'javascriptreact', 'typescript', 'typescriptreact', 'go', 'rust', 'java', 'cs',
}
M.root_markers = { '.git', 'keylint.toml', '.keylint.toml' }

--- The binary: `vim.g.keylint_path`, else $KEYLINT_PATH, else `keylint` on PATH.
function M.binary()
  local path = vim.g.keylint_path
  if type(path) ~= 'string' or path == '' then
    path = os.getenv('KEYLINT_PATH')
  end
  if type(path) ~= 'string' or path == '' then
    path = 'keylint'
  end
  return vim.fn.expand(path)
end

function M.cmd()
  return { M.binary(), 'lsp' }
end

--- The settings object the server reads (docs/lsp.md): `{ keylint = { probe = {...}, select, ignore, consumers } }`.
--- `vim.g.keylint_settings` (the inner table) is merged over the defaults.
function M.settings(extra)
  local settings = {
    probe = { enable = true, timeoutMs = 5000, allowedHosts = {} },
    select = {},
    ignore = {},
    consumers = vim.empty_dict and vim.empty_dict() or {},
  }
  if type(vim.g.keylint_settings) == 'table' then
    settings = vim.tbl_deep_extend('force', settings, vim.g.keylint_settings)
  end
  if type(extra) == 'table' then
    settings = vim.tbl_deep_extend('force', settings, extra.keylint or extra)
  end
  return { keylint = settings }
end

-- Sends the settings as initializationOptions too (the server reads both channels).
function M.before_init(params, config)
  if config and config.settings and next(config.settings) ~= nil then
    params.initializationOptions = config.settings
  end
end

local function find_root(bufnr)
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == '' then
    return vim.loop.cwd()
  end
  local dir = vim.fn.fnamemodify(name, ':p:h')
  if vim.fs and vim.fs.find then
    local found = vim.fs.find(M.root_markers, { path = dir, upward = true })[1]
    if found then
      return vim.fn.fnamemodify(found, ':h')
    end
  else
    for _, marker in ipairs(M.root_markers) do
      local found = vim.fn.finddir(marker, dir .. ';')
      if found == '' then
        found = vim.fn.findfile(marker, dir .. ';')
      end
      if found ~= '' then
        return vim.fn.fnamemodify(found, ':p:h:h')
      end
    end
  end
  return dir
end

local function contains(list, value)
  for _, item in ipairs(list) do
    if item == value then
      return true
    end
  end
  return false
end

M.config = nil
local clients_by_root = {} -- Neovim 0.7: one client per root, attached by hand

--- Starts (or reuses) the keylint client for `bufnr`. Returns the client id.
function M.start(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  local opts = M.config or {}
  local root = find_root(bufnr)
  local config = {
    name = 'keylint',
    cmd = opts.cmd or M.cmd(),
    root_dir = root,
    settings = M.settings(opts.settings),
    before_init = M.before_init,
    on_attach = opts.on_attach,
    capabilities = opts.capabilities,
    cmd_env = opts.cmd_env,
  }
  if vim.fn.executable(config.cmd[1]) ~= 1 then
    if not M._warned then
      M._warned = true
      vim.notify(
        ('keylint: `%s` not found. Install it with `pipx install keylint`, `cargo binstall keylint` '
          .. 'or the install script (see "Install" in the keylint README), or set vim.g.keylint_path.'):format(config.cmd[1]),
        vim.log.levels.WARN
      )
    end
    return nil
  end
  if vim.lsp.start then -- 0.8+
    return vim.lsp.start(config, { bufnr = bufnr })
  end
  local id = clients_by_root[root]
  if not (id and vim.lsp.get_client_by_id(id)) then
    id = vim.lsp.start_client(config)
    clients_by_root[root] = id
  end
  if id then
    vim.lsp.buf_attach_client(bufnr, id)
  end
  return id
end

--- Neovim 0.8–0.10 (and 0.7): starts keylint for the filetypes in `opts.filetypes`.
--- opts: { cmd, filetypes, settings, on_attach, capabilities, cmd_env }
function M.setup(opts)
  M.config = opts or {}
  local filetypes = M.config.filetypes or M.filetypes
  local group = vim.api.nvim_create_augroup('keylint', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = filetypes,
    callback = function(args)
      M.start(args.buf)
    end,
  })
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and contains(filetypes, vim.bo[bufnr].filetype) then
      M.start(bufnr)
    end
  end
end

local function get_clients(bufnr)
  if vim.lsp.get_clients then
    return vim.lsp.get_clients({ bufnr = bufnr, name = 'keylint' })
  end
  local found = {}
  for _, client in pairs(vim.lsp.buf_get_clients(bufnr)) do
    if client.name == 'keylint' then
      table.insert(found, client)
    end
  end
  return found
end
M.get_clients = get_clients

local function describe(p)
  local status = ''
  if type(p.http_status) == 'number' then
    status = (' (HTTP %d%s)'):format(p.http_status, type(p.error_code) == 'string' and (' ' .. p.error_code) or '')
  end
  local place = ''
  if type(p.path) == 'string' and type(p.line) == 'number' then
    place = (' (%s:%d)'):format(p.path, p.line)
  end
  return ('%s%s %s%s → %s%s%s'):format(
    p.variable or '?',
    place,
    type(p.key) == 'string' and p.key or '',
    type(p.host) == 'string' and (' at ' .. p.host) or '',
    p.verdict or '?',
    status,
    type(p.message) == 'string' and (': ' .. p.message) or ''
  )
end
M.describe = describe

--- Sends a request to the keylint client (`client:request` from 0.11, `client.request` before).
local function request(client, method, params, handler, bufnr)
  if vim.fn.has('nvim-0.11') == 1 then
    return client:request(method, params, handler, bufnr)
  end
  return client.request(method, params, handler, bufnr)
end

--- :KeylintProbe [NAME] — asks the server (`workspace/executeCommand` `keylint.probe`) to
--- probe the key on the cursor line, or the variable NAME, in the buffer's text (saved or
--- not), and shows the verdict. `callback(result, err)` is for tests.
function M.probe(variable, callback)
  local bufnr = vim.api.nvim_get_current_buf()
  local function done(result, err)
    M.last_probe = { result = result, error = err }
    if callback then
      callback(result, err)
    end
  end
  local client = get_clients(bufnr)[1]
  if not client then
    vim.notify('keylint: no keylint server attached to this buffer', vim.log.levels.WARN)
    return done(nil, 'no client')
  end
  local argument
  if variable and variable ~= '' then
    argument = { textDocument = { uri = vim.uri_from_bufnr(bufnr) }, variable = variable }
  else
    argument = vim.lsp.util.make_position_params(0, client.offset_encoding or 'utf-16')
  end
  local params = { command = 'keylint.probe', arguments = { argument } }
  request(client, 'workspace/executeCommand', params, function(err, result)
    if err then
      -- The server says why there is nothing to probe (no variable here, no key in it).
      local message = type(err) == 'table' and err.message or tostring(err)
      vim.notify('keylint: ' .. message, vim.log.levels.WARN)
      return done(nil, message)
    end
    if type(result) ~= 'table' then
      return done(nil, 'no result')
    end
    local level = result.verdict == 'ok' and vim.log.levels.INFO
      or (result.verdict == 'unknown' and vim.log.levels.WARN or vim.log.levels.ERROR)
    vim.notify('keylint probe: ' .. describe(result), level)
    done(result, nil)
  end, bufnr)
end

--- :KeylintFixAll — applies `source.fixAll.keylint` to the current buffer.
function M.fix_all()
  local bufnr = vim.api.nvim_get_current_buf()
  local client = get_clients(bufnr)[1]
  if not client then
    vim.notify('keylint: no keylint server attached to this buffer', vim.log.levels.WARN)
    return
  end
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = { start = { line = 0, character = 0 }, ['end'] = { line = vim.api.nvim_buf_line_count(bufnr), character = 0 } },
    context = { diagnostics = {}, only = { 'source.fixAll.keylint' } },
  }
  local resp = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', params, 5000) or {}
  local result = resp[client.id] and resp[client.id].result or {}
  for _, action in ipairs(result) do
    if action.edit then
      vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding or 'utf-16')
      return
    end
  end
  vim.notify('keylint: nothing to fix automatically', vim.log.levels.INFO)
end

return M
