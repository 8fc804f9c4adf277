-- Headless Neovim end-to-end test of editors/nvim against a real `keylint lsp`.
-- Runs on 0.7 (require('keylint').setup(), start_client) and 0.11+ (vim.lsp.enable).
-- Environment: KEYLINT_PATH (the binary), KEYLINT_FIXTURE (a copy of tests/editors/fixture
-- whose .env points OPENAI_BASE_URL at the loopback mock), MOCK_HOST (127.0.0.1:PORT),
-- KEYLINT_LEAK_CHECK (the shared leak check binary, crates/keylint-test-support).
-- Exit status: 0 pass, 1 an assertion failed, 2 setup failed (via :cquit).
local binary = assert(os.getenv('KEYLINT_PATH'), 'KEYLINT_PATH')
local fixture = assert(os.getenv('KEYLINT_FIXTURE'), 'KEYLINT_FIXTURE')
local mock_host = assert(os.getenv('MOCK_HOST'), 'MOCK_HOST')
local leak_check = assert(os.getenv('KEYLINT_LEAK_CHECK'), 'KEYLINT_LEAK_CHECK')
local modern = vim.fn.has('nvim-0.11') == 1
-- KEYLINT_NVIM_API=setup runs the 0.8-0.10 path (setup() -> vim.lsp.start) on a new Neovim
local use_enable = modern and os.getenv('KEYLINT_NVIM_API') ~= 'setup'
local failures = 0
local function log(msg)
  io.stdout:write(msg .. '\n')
end
local function finish(code)
  log(code == 0 and 'PASS' or ('FAIL (' .. failures .. ' failed checks)'))
  io.stdout:flush()
  vim.cmd('cquit ' .. code)
end
local function check(cond, what)
  if cond then
    log('ok   ' .. what)
  else
    failures = failures + 1
    log('FAIL ' .. what)
  end
  return cond
end
local function wait(ms, pred)
  return vim.wait(ms, pred, 50)
end

local ok_run, err = pcall(function()
  log(('nvim %s, %s API'):format(tostring(vim.version().major .. '.' .. vim.version().minor .. '.' .. vim.version().patch), use_enable and 'vim.lsp.enable' or 'setup()'))

  -- no key of the fixture may be shown: the shared leak check over what the editor shows
  local function no_key(text)
    local report = vim.fn.system({ leak_check, '--fixture', fixture, '-' }, text)
    if vim.v.shell_error ~= 0 then
      log('     ' .. report:gsub('\n', '\n     '))
    end
    return vim.v.shell_error == 0
  end

  -- 1. filetype detection (plugin/keylint.lua)
  local expected_ft = {
    ['.env'] = 'dotenv',
    ['.env.local'] = 'dotenv',
    ['prod.env'] = 'dotenv',
    ['compose.yaml'] = 'yaml.docker-compose',
    ['docker-compose.override.yml'] = 'yaml.docker-compose',
    ['.github/workflows/ci.yml'] = 'yaml.github',
    ['k8s.yaml'] = 'yaml',
  }
  for name, ft in pairs(expected_ft) do
    vim.cmd('edit ' .. vim.fn.fnameescape(fixture .. '/ftcheck/' .. name))
    check(vim.bo.filetype == ft, ('filetype %s = %s (got %s)'):format(name, ft, vim.bo.filetype))
    vim.cmd('bwipeout!')
  end
  check(vim.fn.exists(':KeylintProbe') == 2, ':KeylintProbe exists')

  -- 2. start the server the way a user would
  local settings = { keylint = { probe = { enable = true, timeoutMs = 3000, allowedHosts = { mock_host } } } }
  if use_enable then
    vim.lsp.config('keylint', { cmd = { binary, 'lsp' }, settings = settings })
    vim.lsp.enable('keylint')
  else
    require('keylint').setup({ cmd = { binary, 'lsp' }, settings = settings })
  end

  local function diags(bufnr, code)
    local found = {}
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      local c = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
      if code == nil or c == code then
        table.insert(found, d)
      end
    end
    return found
  end
  local function codes(bufnr)
    local list = {}
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      table.insert(list, (d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or '?') .. '@' .. (d.lnum + 1))
    end
    table.sort(list)
    return table.concat(list, ' ')
  end
  local function client_for(bufnr)
    local clients = require('keylint').get_clients(bufnr)
    return clients[1]
  end

  -- The LSP diagnostic behind a vim.diagnostic: 0.10+ keep all of it in user_data.lsp;
  -- 0.7 keeps only code/data there, so rebuild range (ASCII fixture: bytes = UTF-16 units).
  local function to_lsp(d)
    local kept = d.user_data and d.user_data.lsp or {}
    if kept.range then
      return kept
    end
    return {
      range = {
        start = { line = d.lnum, character = d.col },
        ['end'] = { line = d.end_lnum or d.lnum, character = d.end_col or d.col },
      },
      severity = d.severity,
      message = d.message,
      source = d.source,
      code = kept.code or d.code,
      data = kept.data,
    }
  end

  -- apply the quick fix of diagnostic `code` through textDocument/codeAction
  local function apply_fix(bufnr, code)
    local d = diags(bufnr, code)[1]
    if not check(d ~= nil, 'diagnostic ' .. code .. ' to fix') then
      return false
    end
    local client = client_for(bufnr)
    local lsp_diag = to_lsp(d)
    check(lsp_diag.source == 'keylint' and lsp_diag.data ~= nil, code .. ' has source keylint and fix data')
    local params = {
      textDocument = { uri = vim.uri_from_bufnr(bufnr) },
      range = lsp_diag.range,
      context = { diagnostics = { lsp_diag }, only = { 'quickfix' } },
    }
    local resp = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', params, 5000) or {}
    local actions = resp[client.id] and resp[client.id].result or {}
    local action
    for _, a in ipairs(actions) do
      if a.title and a.title:find(code, 1, true) and a.edit then
        action = a
      end
    end
    if not check(action ~= nil, ('code action for %s offered (%d actions)'):format(code, #actions)) then
      return false
    end
    log('     applying: ' .. action.title)
    vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding or 'utf-16')
    return true
  end

  local function hover_text(bufnr, line, character)
    local client = client_for(bufnr)
    local resp = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', {
      textDocument = { uri = vim.uri_from_bufnr(bufnr) },
      position = { line = line, character = character },
    }, 5000) or {}
    local result = resp[client.id] and resp[client.id].result
    if not result then
      return ''
    end
    local contents = result.contents
    if type(contents) == 'table' then
      contents = contents.value or table.concat(vim.tbl_map(function(c)
        return type(c) == 'table' and c.value or c
      end, contents), '\n')
    end
    return contents or ''
  end

  -- 3. the broken .env
  vim.cmd('edit ' .. vim.fn.fnameescape(fixture .. '/.env'))
  local env = vim.api.nvim_get_current_buf()
  check(vim.bo.filetype == 'dotenv', '.env filetype dotenv')
  local attached = wait(10000, function()
    return client_for(env) ~= nil
  end)
  if not check(attached, 'keylint attached to .env') then
    error('server did not attach')
  end
  local client = client_for(env)
  log(('     client %d, offset_encoding=%s, pull diagnostics=%s'):format(
    client.id, tostring(client.offset_encoding),
    tostring(client.server_capabilities.diagnosticProvider ~= nil)))
  if modern then
    check(client.offset_encoding == 'utf-8', 'position encoding utf-8 negotiated')
  end
  wait(10000, function()
    return #diags(env, 'KL102') > 0 and #diags(env, 'KL201') > 0
  end)
  log('     .env diagnostics: ' .. codes(env))
  check(#diags(env, 'KL102') == 1, '.env: KL102 (whitespace in value) on line 2')
  check(#diags(env, 'KL201') == 1, '.env: KL201 (misspelled variable) on line 4')
  local messages = {}
  for _, d in ipairs(vim.diagnostic.get(env)) do
    check(d.source == 'keylint', 'diagnostic source keylint: ' .. tostring(d.source))
    table.insert(messages, d.message)
  end
  check(no_key(table.concat(messages, '\n')), 'diagnostic messages show no key')

  -- hover: masked key, and the probe verdict from the loopback mock (the first hover may
  -- come back before the probe does; the verdict is cached for the next one)
  local hover = ''
  wait(15000, function()
    hover = hover_text(env, 1, 3)
    return hover:find('invalid', 1, true) ~= nil
  end)
  log('     hover: ' .. hover:gsub('\n', ' | '):sub(1, 400))
  check(hover:find('sk-proj-…', 1, true) ~= nil, 'hover shows the masked key (sk-proj-…)')
  check(no_key(hover), 'hover shows no key')
  check(hover:find(mock_host, 1, true) ~= nil and hover:find('invalid key', 1, true) ~= nil, 'hover has the live probe verdict from the mock (invalid key)')

  -- quick fix: KL102 goes away and the text changes
  local before = vim.api.nvim_buf_get_lines(env, 1, 2, false)[1]
  if apply_fix(env, 'KL102') then
    local after = vim.api.nvim_buf_get_lines(env, 1, 2, false)[1]
    check(after ~= before and after:find('^OPENAI_API_KEY="sk%-proj%-') ~= nil, '.env line 2 lost its leading space')
    check(wait(10000, function()
      return #diags(env, 'KL102') == 0
    end), '.env: KL102 gone after the fix (' .. codes(env) .. ')')
    check(#diags(env, 'KL201') == 1, '.env: KL201 still there')
    -- Linted after the background index (Neovim 0.11 pulls diagnostics again on an edit
    -- but does not take the server's workspace/diagnostic/refresh), KL201 names the code
    -- that reads the right name.
    local misspelled
    wait(10000, function()
      misspelled = diags(env, 'KL201')[1]
      return misspelled ~= nil and misspelled.message:find('reads OPENAI_API_KEY', 1, true) ~= nil
    end)
    check(misspelled ~= nil and misspelled.message:find('reads OPENAI_API_KEY', 1, true) ~= nil,
      '.env: KL201 names the code that reads OPENAI_API_KEY: ' .. (misspelled and misspelled.message or '?'))
  end
  vim.cmd('silent write')

  -- :KeylintProbe asks the server (keylint.probe) about the buffer's text, saved or not:
  -- a line added above the key and not saved puts it on line 3
  local function keylint_probe(variable)
    local probed = nil
    require('keylint').probe(variable, function(result, perr)
      probed = { result = result, err = perr }
    end)
    wait(20000, function()
      return probed ~= nil
    end)
    return probed or {}
  end
  vim.api.nvim_buf_set_lines(env, 0, 0, false, { '# not saved' })
  check(vim.bo[env].modified, 'the .env buffer has unsaved changes')
  vim.api.nvim_win_set_cursor(0, { 3, 20 })
  local probed = keylint_probe(nil)
  local result = probed.result or {}
  log('     :KeylintProbe: ' .. (probed.result and require('keylint').describe(result) or tostring(probed.err)))
  check(result.verdict == 'invalid_key', ':KeylintProbe verdict invalid_key from the mock')
  check(result.line == 3, ':KeylintProbe probed the unsaved buffer (the key on line 3)')
  check(no_key(vim.inspect(probed)), ':KeylintProbe output masks the key')
  probed = keylint_probe('OPENAI_API_KEY')
  check(probed.result and probed.result.verdict == 'invalid_key', ':KeylintProbe OPENAI_API_KEY probes the variable by name')
  vim.api.nvim_win_set_cursor(0, { 1, 0 })
  probed = keylint_probe(nil)
  check(probed.result == nil and tostring(probed.err):find('no variable', 1, true) ~= nil, ':KeylintProbe on a comment says there is no variable: ' .. tostring(probed.err))
  vim.api.nvim_buf_set_lines(env, 0, 1, false, {})
  vim.cmd('silent write')

  -- 4. the compose file: KL101 quotes kept; fix the org id line
  vim.cmd('edit ' .. vim.fn.fnameescape(fixture .. '/compose.yaml'))
  local compose = vim.api.nvim_get_current_buf()
  check(vim.bo.filetype == 'yaml.docker-compose', 'compose.yaml filetype yaml.docker-compose')
  wait(10000, function()
    return #diags(compose, 'KL101') >= 2
  end)
  log('     compose diagnostics: ' .. codes(compose))
  check(#diags(compose, 'KL101') == 2, 'compose: two KL101 (quotes kept)')
  local org_diag
  for _, d in ipairs(diags(compose, 'KL101')) do
    if d.lnum == 6 then
      org_diag = d
    end
  end
  check(org_diag ~= nil, 'compose: KL101 on the OPENAI_ORG_ID line')
  if org_diag then
    -- make it the only KL101 the fixer sees: fix via the diagnostic on line 7
    local lsp_diag = to_lsp(org_diag)
    local params = {
      textDocument = { uri = vim.uri_from_bufnr(compose) },
      range = lsp_diag.range,
      context = { diagnostics = { lsp_diag }, only = { 'quickfix' } },
    }
    local c = client_for(compose)
    local resp = vim.lsp.buf_request_sync(compose, 'textDocument/codeAction', params, 5000) or {}
    local actions = resp[c.id] and resp[c.id].result or {}
    check(#actions >= 1 and actions[1].edit ~= nil, 'compose: quick fix offered for KL101')
    if actions[1] and actions[1].edit then
      log('     applying: ' .. actions[1].title)
      vim.lsp.util.apply_workspace_edit(actions[1].edit, c.offset_encoding or 'utf-16')
      local line = vim.api.nvim_buf_get_lines(compose, 6, 7, false)[1]
      check(line == '      - OPENAI_ORG_ID=org-9Xk2LmQ7Rt4Vb8Nc1Zp6Wd3s', 'compose line 7 unquoted: ' .. line)
      check(wait(10000, function()
        return #diags(compose, 'KL101') == 1
      end), 'compose: the fixed KL101 is gone (' .. codes(compose) .. ')')
    end
  end

  -- 5. :KeylintFixAll on a file with two safe fixes
  vim.cmd('edit ' .. vim.fn.fnameescape(fixture .. '/fixall.env'))
  local fixall = vim.api.nvim_get_current_buf()
  wait(10000, function()
    return #diags(fixall, 'KL102') == 2
  end)
  check(#diags(fixall, 'KL102') == 2, 'fixall.env: two KL102 (' .. codes(fixall) .. ')')
  vim.cmd('KeylintFixAll')
  local lines = vim.api.nvim_buf_get_lines(fixall, 0, -1, false)
  check(not lines[1]:find(' "$') and lines[2]:find('^ANTHROPIC_API_KEY="sk%-ant%-') ~= nil, ':KeylintFixAll removed both spaces')
  check(wait(10000, function()
    return #diags(fixall, 'KL102') == 0
  end), 'fixall.env: no KL102 left (' .. codes(fixall) .. ')')

  -- 6. code and config, both ways. Go to definition from a read in Python and in
  -- JavaScript: the server's first place is the .env line the program gets its value
  -- from. 0.7 jumps to it and lists every place in the quickfix list; 0.11 only lists
  -- them (Neovim sorts that list by file name), where the user picks one (:cfirst here).
  -- References from that line list the code that reads it.
  local function at(bufnr, line, col)
    return { textDocument = { uri = vim.uri_from_bufnr(bufnr) }, position = { line = line - 1, character = col - 1 } }
  end
  local function qf_places()
    local places = {}
    for _, item in ipairs(vim.fn.getqflist()) do
      table.insert(places, vim.fn.fnamemodify(vim.api.nvim_buf_get_name(item.bufnr), ':t') .. ':' .. item.lnum)
    end
    return places
  end
  for _, read in ipairs({ { 'main.py', 6, 30 }, { 'index.js', 3, 30 } }) do
    local file, line, col = read[1], read[2], read[3]
    vim.cmd('edit ' .. vim.fn.fnameescape(fixture .. '/' .. file))
    local code = vim.api.nvim_get_current_buf()
    check(wait(10000, function()
      return client_for(code) ~= nil
    end), 'keylint attached to ' .. file .. ' (' .. vim.bo.filetype .. ')')
    check(#vim.diagnostic.get(code) == 0, file .. ': no diagnostics (source code is not linted)')
    -- the workspace is indexed in the background: wait until the server knows the read
    local places = {}
    check(wait(20000, function()
      local resp = vim.lsp.buf_request_sync(code, 'textDocument/definition', at(code, line, col), 5000) or {}
      local c = client_for(code)
      local result = c and resp[c.id] and resp[c.id].result
      places = type(result) == 'table' and result or {}
      return #places > 0
    end), file .. ': the server answers definition')
    local winner = places[1] or {}
    local winner_uri = winner.uri or winner.targetUri or ''
    local winner_range = winner.range or winner.targetSelectionRange or { start = {} }
    check(winner_uri:sub(-5) == '/.env' and winner_range.start.line == 1 and winner_range.start.character == 0,
      file .. ': the first place the server gives is .env line 2 (of ' .. #places .. ')')
    vim.api.nvim_win_set_cursor(0, { line, col - 1 })
    vim.fn.setqflist({}, 'r')
    vim.lsp.buf.definition()
    wait(5000, function()
      return #vim.fn.getqflist() > 0 or vim.api.nvim_buf_get_name(0):sub(-5) == '/.env'
    end)
    local listed = qf_places()
    vim.cmd('cclose')
    if #listed > 0 then
      -- silent: :cfirst echoes the line it lands on, the .env line with its key
      vim.cmd('silent cfirst')
    end
    local landed = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(0), ':t')
    local cursor = vim.api.nvim_win_get_cursor(0)
    log(('     definition from %s:%d:%d -> %s:%d:%d (listed: %s)'):format(file, line, col, landed, cursor[1], cursor[2], table.concat(listed, ' ')))
    check(landed == '.env' and cursor[1] == 2 and cursor[2] == 0, 'go to definition from ' .. file .. ' lands on .env line 2, at the name')
    check(#listed == 0 or (listed[1] == '.env:2' and #listed >= 3), 'the places that set it, .env first: ' .. table.concat(listed, ' '))
  end
  vim.cmd('edit ' .. vim.fn.fnameescape(fixture .. '/.env'))
  vim.api.nvim_win_set_cursor(0, { 2, 2 })
  vim.fn.setqflist({}, 'r')
  vim.lsp.buf.references()
  wait(10000, function()
    return #vim.fn.getqflist() > 0
  end)
  local referenced = qf_places()
  vim.cmd('cclose')
  log('     references from .env:2: ' .. table.concat(referenced, ' '))
  local joined = ' ' .. table.concat(referenced, ' ') .. ' '
  check(joined:find(' main.py:6 ', 1, true) ~= nil and joined:find(' index.js:3 ', 1, true) ~= nil, 'references from the .env line list the code that reads it (main.py:6, index.js:3)')
  check(joined:find(' compose.yaml:5 ', 1, true) ~= nil, 'references list the ${OPENAI_API_KEY} use in compose.yaml')
  -- hover on the read in code: the masked key of the .env line
  vim.cmd('edit ' .. vim.fn.fnameescape(fixture .. '/main.py'))
  local code_hover = hover_text(vim.api.nvim_get_current_buf(), 5, 29)
  log('     hover in main.py: ' .. code_hover:gsub('\n', ' | '):sub(1, 300))
  check(code_hover:find('.env:2', 1, true) ~= nil and code_hover:find('sk-proj-…', 1, true) ~= nil, 'hover on the read in main.py shows the .env line with the masked key')
  check(no_key(code_hover), 'hover in main.py shows no key')
  check(code_hover:find('python-dotenv', 1, true) ~= nil, 'hover on the read in main.py names who reads the .env (python-dotenv)')

  -- completion of names: on a new line typed (not saved) at the end of .env, and on a new
  -- entry of the Compose `environment:` list, the name main.py reads that is set nowhere
  -- there (APP_MODEL) comes first, with where it is read; a name already set is not offered.
  local function complete_at(file, typed)
    vim.cmd('edit ' .. vim.fn.fnameescape(fixture .. '/' .. file))
    local bufnr = vim.api.nvim_get_current_buf()
    local last = vim.api.nvim_buf_line_count(bufnr)
    vim.api.nvim_buf_set_lines(bufnr, last, last, false, { typed })
    local items = {}
    wait(10000, function()
      local resp = vim.lsp.buf_request_sync(bufnr, 'textDocument/completion', at(bufnr, last + 1, #typed + 1), 5000) or {}
      local c = client_for(bufnr)
      local result = c and resp[c.id] and resp[c.id].result
      items = type(result) == 'table' and (result.items or result) or {}
      return #items > 0
    end)
    -- take the typed line out again
    vim.api.nvim_buf_set_lines(bufnr, last, last + 1, false, {})
    local labels = {}
    for _, item in ipairs(items) do
      table.insert(labels, item.label)
    end
    log(('     completion in %s after %q: %s'):format(file, typed, table.concat(labels, ' '):sub(1, 200)))
    return items, ' ' .. table.concat(labels, ' ') .. ' '
  end
  for _, place in ipairs({ { '.env', 'APP_' }, { 'compose.yaml', '      - APP_' } }) do
    local items, labels = complete_at(place[1], place[2])
    local first = items[1] or {}
    check(first.label == 'APP_MODEL' and (first.detail or ''):find('main.py:7', 1, true) ~= nil,
      place[1] .. ': completion offers APP_MODEL first, read at main.py:7 (' .. tostring(first.label) .. ', ' .. tostring(first.detail) .. ')')
    check(labels:find(' ANTHROPIC_API_KEY ', 1, true) ~= nil, place[1] .. ': completion offers the provider names after it')
    check(labels:find(' OPENAI_API_KEY ', 1, true) == nil, place[1] .. ': completion leaves out OPENAI_API_KEY, set there already')
  end

  -- 7. :checkhealth keylint
  vim.cmd('checkhealth keylint')
  local health = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), '\n')
  check(health:find('keylint 0', 1, true) ~= nil and not health:find('ERROR', 1, true), ':checkhealth keylint reports the binary and version')
  log('     ' .. health:gsub('\n', ' | '):sub(1, 300))
end)

if not ok_run then
  log('ERROR ' .. tostring(err))
  finish(2)
elseif failures > 0 then
  finish(1)
else
  -- stop the clients cleanly before quitting
  for _, c in ipairs(vim.lsp.get_clients and vim.lsp.get_clients() or vim.lsp.get_active_clients()) do
    vim.lsp.stop_client(c.id)
  end
  vim.wait(2000, function()
    return #(vim.lsp.get_clients and vim.lsp.get_clients() or vim.lsp.get_active_clients()) == 0
  end, 50)
  finish(0)
end
