-- Neovim 0.11+: `vim.lsp.enable('keylint')` (this file must be on 'runtimepath').
-- Override with vim.lsp.config('keylint', { cmd = {...}, settings = { keylint = {...} } }).
local keylint = require('keylint')

---@type vim.lsp.Config
return {
  cmd = keylint.cmd(),
  filetypes = keylint.filetypes,
  root_markers = keylint.root_markers,
  -- The server's settings (docs/lsp.md); the server reads them from initializationOptions and
  -- workspace/didChangeConfiguration (Neovim sends `settings` there after start).
  settings = keylint.settings(),
  before_init = keylint.before_init,
}
