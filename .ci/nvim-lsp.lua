-- Headless Neovim as a real LSP client of `backlint server` (Neovim 0.7+: vim.lsp.start_client).
-- Opens $BACKLINT_ITEM under $BACKLINT_ROOT, prints the diagnostics Neovim shows as
-- `line:column rule` (1-based, like `backlint check`), then edits the buffer to fix them and
-- prints what is left. Driven by scripts/test-nvim.
local bin, root, item = os.getenv('BACKLINT_BIN'), os.getenv('BACKLINT_ROOT'), os.getenv('BACKLINT_ITEM')
local out = io.open(os.getenv('BACKLINT_OUT'), 'w')

local function finish(code)
  out:close()
  vim.cmd(code == 0 and 'qa!' or 'cq!')
end

local function dump(label)
  out:write(label .. '\n')
  local found = vim.diagnostic.get(0)
  table.sort(found, function(a, b) return a.lnum < b.lnum or (a.lnum == b.lnum and a.col < b.col) end)
  for _, d in ipairs(found) do
    local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or '?'
    out:write(string.format('%d:%d %s\n', d.lnum + 1, d.col + 1, code))
  end
end

local client = vim.lsp.start_client({
  name = 'backlint',
  cmd = { bin, 'server' },
  root_dir = root,
  init_options = { debounceMs = 0 },
})
if not client then
  out:write('could not start the server\n')
  return finish(1)
end
vim.cmd('edit ' .. vim.fn.fnameescape(root .. '/' .. item))
vim.lsp.buf_attach_client(0, client)

if not vim.wait(20000, function() return #vim.diagnostic.get(0) > 0 end, 50) then
  out:write('no diagnostics arrived\n')
  return finish(1)
end
dump('opened')

-- Fix the item as a user would: a free id, a smaller size, no vague words.
local lines = vim.api.nvim_buf_get_lines(0, 0, -1, false)
for i, line in ipairs(lines) do
  if line:match('^id:') then
    vim.api.nvim_buf_set_lines(0, i - 1, i, false, { 'id: PB-3' })
  elseif line:match('^size:') then
    vim.api.nvim_buf_set_lines(0, i - 1, i, false, { 'size: 3' })
  elseif line:match('fast') then
    vim.api.nvim_buf_set_lines(0, i - 1, i, false, { '- [ ] It answers within 200 ms.' })
  end
end
if not vim.wait(20000, function() return #vim.diagnostic.get(0) == 0 end, 50) then
  dump('still there after the edit')
  return finish(1)
end
dump('edited')
vim.lsp.stop_client(client)
vim.wait(5000, function() return vim.lsp.get_client_by_id(client) == nil end, 50)
finish(0)
